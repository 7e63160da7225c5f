"""The parts of the stack, in start order, and how each is checked and stopped."""

from __future__ import annotations

import signal
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from orderflow.messaging.service import Declared, HttpService
from orderflow.services import SERVICES as DECLARED
from orderflow.services import service_named
from orderflow.settings import Settings
from orderflow.stack import connect, kafka, postgres, prometheus
from orderflow.stack.probes import answers_ok
from orderflow.stack.scale import (
    BROKERS,
    CONNECT_WORKERS,
    Scale,
    instance_name,
    instance_port,
    instances_of,
)


@dataclass(frozen=True)
class Component:
    name: str
    port: Callable[[Settings], int | None]
    healthy: Callable[[Settings], bool]
    # Postgres finishes its transactions and checkpoints on SIGINT ("fast"
    # shutdown); on SIGTERM it would wait for every client to leave.
    stop_signal: signal.Signals = signal.SIGTERM
    grace_s: float = 30.0
    metrics: Callable[[Settings], str | None] = lambda _settings: None
    """The URL its Prometheus metrics are scraped from, if it serves them."""
    service: str | None = None
    """The declared service it is an instance of: ``inventory`` for ``inventory-2``."""
    family: str | None = None
    """What it is one instance of: ``inventory`` for ``inventory-2``, ``kafka`` for
    ``kafka-3``; None for a part that runs once."""
    instance: int = 1
    """Which of its family's instances: 2 for ``inventory-2``."""

    @property
    def job(self) -> str:
        """Its Prometheus job: a family's instances are one job, each a target of it."""
        return self.family or self.name


def http_url(port: Callable[[Settings], int], path: str) -> Callable[[Settings], str]:
    return lambda settings: f"http://{settings.host}:{port(settings)}{path}"


def ready(port: Callable[[Settings], int]) -> Callable[[Settings], bool]:
    """Healthy once the process says it is ready: its database, broker and registry
    reachable, its consumer assigned its partitions (see observability/readiness.py)."""
    url = http_url(port, "/readyz")
    return lambda settings: answers_ok(url(settings))


def alive(port: Callable[[Settings], int]) -> Callable[[Settings], bool]:
    """Healthy once the process answers ``/healthz``: for a process that needs nothing
    to serve (the dashboard says when a part it shows is down; it is not down for it)."""
    url = http_url(port, "/healthz")
    return lambda settings: answers_ok(url(settings))


POSTGRES = Component(
    postgres.NAME, lambda s: s.postgres_port, postgres.healthy, signal.SIGINT, 60.0
)


PerInstance = Callable[[Settings, int], int]


def _jvm_instance(
    family: str, instance: int, port: PerInstance, healthy: Callable[[Settings, int], bool],
    metrics_port: PerInstance,
) -> Component:  # fmt: skip
    """An instance of a JVM part: its own port, health and metrics agent's port."""
    return Component(
        instance_name(family, instance),
        lambda s: port(s, instance),
        lambda s: healthy(s, instance),
        metrics=http_url(lambda s: metrics_port(s, instance), "/metrics"),
        family=family,
        instance=instance,
    )


@cache
def broker(node: int) -> Component:
    """Node ``node`` of the local Kafka cluster: ``kafka``, ``kafka-2``, …"""
    return _jvm_instance(kafka.NAME, node, kafka.broker_port, kafka.healthy, kafka.metrics_port)


@cache
def connect_worker(worker: int) -> Component:
    """Worker ``worker`` of the Kafka Connect group: ``connect``, ``connect-2``, …"""
    return _jvm_instance(
        connect.NAME, worker, connect.worker_port, connect.healthy, connect.metrics_port
    )


KAFKA = broker(1)
CONNECT = connect_worker(1)
REGISTRY = Component(
    "registry",
    lambda s: s.registry_port,
    ready(lambda s: s.registry_port),
    grace_s=10.0,
    metrics=http_url(lambda s: s.registry_port, "/metrics"),
)

PROMETHEUS = Component(
    prometheus.NAME,
    lambda s: s.prometheus_port,
    prometheus.healthy,
    grace_s=10.0,
    metrics=http_url(lambda s: s.prometheus_port, "/metrics"),
)


def stack(scale: Scale) -> tuple[Component, ...]:
    """The stack at ``scale``: its brokers side by side, then its Connect workers."""
    return (
        POSTGRES,
        *(broker(node) for node in range(1, instances_of(scale, BROKERS) + 1)),
        *(connect_worker(n) for n in range(1, instances_of(scale, CONNECT_WORKERS) + 1)),
        REGISTRY,
        PROMETHEUS,
    )


STACK: tuple[Component, ...] = stack({})


def service_component(service: Declared, instance: int = 1) -> Component:
    """An instance of a declared service as the launcher runs it: ``orderflow run <name>``
    on the instance's port (see scale.py). The same object each time it is asked for, so
    that an instance compares equal to itself however the scale was read."""
    return _instance(service.name, instance)


@cache
def _instance(service_name: str, instance: int) -> Component:
    service = service_named(service_name)

    def port(settings: Settings) -> int:
        return instance_port(service.port(settings), instance)

    return Component(
        instance_name(service.name, instance),
        port,
        ready(port),
        grace_s=20.0,
        metrics=http_url(port, "/metrics"),
        service=service.name,
        family=service.name,
        instance=instance,
    )


# Consumers first: the OrderService's HTTP answers once everything behind it listens.
_IN_START_ORDER = sorted(DECLARED, key=lambda s: isinstance(s, HttpService))


def service_instances(scale: Scale) -> tuple[Component, ...]:
    """Every instance of every service at ``scale``, a service's instances side by side."""
    return tuple(
        service_component(service, instance)
        for service in _IN_START_ORDER
        for instance in range(1, instances_of(scale, service.name) + 1)
    )


SERVICES: tuple[Component, ...] = service_instances({})

# What looks at the running system rather than being part of it: started after the
# services (the dashboard proxies the OrderService), never scraped (no metrics).
DASHBOARD = Component(
    "dashboard", lambda s: s.dashboard_port, alive(lambda s: s.dashboard_port), grace_s=10.0
)
VIEWS: tuple[Component, ...] = (DASHBOARD,)
EVERYTHING: tuple[Component, ...] = STACK + SERVICES + VIEWS


def everything(scale: Scale) -> tuple[Component, ...]:
    """The whole system at ``scale``, in start order."""
    return stack(scale) + service_instances(scale) + VIEWS


def component_named(name: str, scale: Scale | None = None) -> Component:
    """The part called ``name``: ``inventory-2`` too, when ``scale`` runs a second."""
    known = everything(scale or {})
    for component in known:
        if component.name == name:
            return component
    raise ValueError(f"unknown component {name!r}; one of {', '.join(c.name for c in known)}")
