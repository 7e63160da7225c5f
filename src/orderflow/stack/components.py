"""The parts of the stack, in start order, and how each is checked and stopped."""

from __future__ import annotations

import signal
from collections.abc import Callable
from dataclasses import dataclass

from orderflow.messaging.service import AnyService
from orderflow.services import SERVICES as DECLARED
from orderflow.settings import Settings
from orderflow.stack import connect, kafka, postgres, prometheus
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
    metrics: Callable[[Settings], str | None] = lambda _settings: None
    """The URL its Prometheus metrics are scraped from, if it serves them."""


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
KAFKA = Component(
    kafka.NAME,
    lambda s: s.kafka_port,
    kafka.healthy,
    metrics=http_url(lambda s: s.kafka_metrics_port, "/metrics"),
)
CONNECT = Component(
    connect.NAME,
    lambda s: s.connect_port,
    connect.healthy,
    metrics=http_url(lambda s: s.connect_metrics_port, "/metrics"),
)
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

STACK: tuple[Component, ...] = (POSTGRES, KAFKA, CONNECT, REGISTRY, PROMETHEUS)


def service_component(service: AnyService) -> Component:
    """A declared service as the launcher runs it: ``orderflow run <name>``."""
    return Component(
        service.name,
        service.port,
        ready(service.port),
        grace_s=20.0,
        metrics=http_url(service.port, "/metrics"),
    )


# Consumers first: the OrderService's HTTP answers once everything behind it listens.
SERVICES: tuple[Component, ...] = tuple(
    service_component(s) for s in sorted(DECLARED, key=lambda s: s.http is not None)
)

# What looks at the running system rather than being part of it: started after the
# services (the dashboard proxies the OrderService), never scraped (no metrics).
DASHBOARD = Component(
    "dashboard", lambda s: s.dashboard_port, alive(lambda s: s.dashboard_port), grace_s=10.0
)
VIEWS: tuple[Component, ...] = (DASHBOARD,)
EVERYTHING: tuple[Component, ...] = STACK + SERVICES + VIEWS


def component_named(name: str) -> Component:
    for component in EVERYTHING:
        if component.name == name:
            return component
    raise ValueError(f"unknown component {name!r}; one of {', '.join(c.name for c in EVERYTHING)}")
