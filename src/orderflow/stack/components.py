"""The parts of the stack, in start order, and how each is checked and stopped."""

from __future__ import annotations

import signal
from collections.abc import Callable
from dataclasses import dataclass

from orderflow.messaging.service import AnyService
from orderflow.messaging.source import member_client_id
from orderflow.services import SERVICES as DECLARED
from orderflow.settings import Settings
from orderflow.stack import connect, kafka, postgres
from orderflow.stack.groups import group_states
from orderflow.stack.layout import StateLayout
from orderflow.stack.probes import answers_ok
from orderflow.stack.processes import read_pid_file


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


def http_answers(port: Callable[[Settings], int]) -> Callable[[Settings], bool]:
    """Healthy once the service answers HTTP: uvicorn answers only once the app's
    lifespan has started (pool open, its consumer running)."""

    def answers(settings: Settings) -> bool:
        return answers_ok(f"http://{settings.host}:{port(settings)}/openapi.json")

    return answers


def consumer_group_joined(name: str, group: str) -> Callable[[Settings], bool]:
    """Healthy once the service's consumer group is stable with this process in it.

    The process, not any member: a killed consumer stays a member until its
    session times out, and its replacement is not healthy before it joins.
    A service run by hand (no pid file) is healthy once the group has a member.
    """

    def joined(settings: Settings) -> bool:
        states = group_states(settings, [group], timeout_s=3.0)
        if states is None:
            return False
        [found] = states
        if found.state != "STABLE":
            return False
        recorded = read_pid_file(StateLayout(settings.state_dir).pid_file(name))
        if recorded is None:
            return found.consuming
        return member_client_id(group, recorded.pid) in found.client_ids

    return joined


def service_component(service: AnyService) -> Component:
    """A declared service as the launcher runs it: ``orderflow run <name>``."""
    if service.http is not None:
        return Component(
            service.name, service.http.port, http_answers(service.http.port), grace_s=20.0
        )
    return Component(
        service.name,
        lambda s: None,
        consumer_group_joined(service.name, service.group),
        grace_s=20.0,
    )


# Consumers first: the OrderService's HTTP answers once everything behind it listens.
SERVICES: tuple[Component, ...] = tuple(
    service_component(s) for s in sorted(DECLARED, key=lambda s: s.http is not None)
)
EVERYTHING: tuple[Component, ...] = STACK + SERVICES


def component_named(name: str) -> Component:
    for component in EVERYTHING:
        if component.name == name:
            return component
    raise ValueError(f"unknown component {name!r}; one of {', '.join(c.name for c in EVERYTHING)}")
