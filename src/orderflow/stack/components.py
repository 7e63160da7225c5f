"""The parts of the stack, in start order, and how each is checked and stopped."""

from __future__ import annotations

import signal
from collections.abc import Callable
from dataclasses import dataclass

from confluent_kafka import ConsumerGroupState, KafkaException
from confluent_kafka.admin import AdminClient

from orderflow.settings import Settings
from orderflow.stack import connect, kafka, postgres
from orderflow.stack.probes import answers_ok


@dataclass(frozen=True)
class Component:
    name: str
    port: Callable[[Settings], int | None]
    healthy: Callable[[Settings], bool]
    # Postgres finishes its transactions and checkpoints on SIGINT ("fast"
    # shutdown); on SIGTERM it would wait for every client to leave.
    stop_signal: signal.Signals = signal.SIGTERM
    grace_s: float = 30.0


def registry_healthy(settings: Settings) -> bool:
    return answers_ok(f"{settings.registry_url}/subjects")


POSTGRES = Component(
    postgres.NAME, lambda s: s.postgres_port, postgres.healthy, signal.SIGINT, 60.0
)
KAFKA = Component(kafka.NAME, lambda s: s.kafka_port, kafka.healthy)
CONNECT = Component(connect.NAME, lambda s: s.connect_port, connect.healthy)
REGISTRY = Component("registry", lambda s: s.registry_port, registry_healthy, grace_s=10.0)

STACK: tuple[Component, ...] = (POSTGRES, KAFKA, CONNECT, REGISTRY)


def order_service_healthy(settings: Settings) -> bool:
    # uvicorn answers only once the app's lifespan has started: pool open,
    # OrderStatusService consuming.
    return answers_ok(f"http://{settings.host}:{settings.order_port}/openapi.json")


def consumer_group_joined(group: str) -> Callable[[Settings], bool]:
    """Healthy once the service's consumer group is stable with a member in it."""

    def joined(settings: Settings) -> bool:
        admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap, "log_level": 0})
        try:
            [described] = admin.describe_consumer_groups([group], request_timeout=2).values()
            found = described.result(timeout=3)
        except KafkaException:
            return False
        return found.state == ConsumerGroupState.STABLE and bool(found.members)

    return joined


def _worker(name: str) -> Component:
    return Component(name, lambda s: None, consumer_group_joined(f"{name}-service"), grace_s=20.0)


ORDER = Component("order", lambda s: s.order_port, order_service_healthy, grace_s=20.0)
INVENTORY = _worker("inventory")
SHIPPING = _worker("shipping")
PAYMENT = _worker("payment")

SERVICES: tuple[Component, ...] = (INVENTORY, SHIPPING, PAYMENT, ORDER)
EVERYTHING: tuple[Component, ...] = STACK + SERVICES
