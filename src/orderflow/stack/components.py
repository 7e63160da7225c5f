"""The parts of the stack, in start order, and how each is checked and stopped."""

from __future__ import annotations

import signal
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from orderflow.settings import Settings
from orderflow.stack import connect, kafka, postgres


@dataclass(frozen=True)
class Component:
    name: str
    port: Callable[[Settings], int]
    healthy: Callable[[Settings], bool]
    # Postgres finishes its transactions and checkpoints on SIGINT ("fast"
    # shutdown); on SIGTERM it would wait for every client to leave.
    stop_signal: signal.Signals = signal.SIGTERM
    grace_s: float = 30.0


def registry_healthy(settings: Settings) -> bool:
    try:
        answer = httpx.get(f"{settings.registry_url}/subjects", timeout=2)
    except httpx.HTTPError:
        return False
    return answer.status_code == 200


POSTGRES = Component(
    postgres.NAME, lambda s: s.postgres_port, postgres.healthy, signal.SIGINT, 60.0
)
KAFKA = Component(kafka.NAME, lambda s: s.kafka_port, kafka.healthy)
CONNECT = Component(connect.NAME, lambda s: s.connect_port, connect.healthy)
REGISTRY = Component("registry", lambda s: s.registry_port, registry_healthy, grace_s=10.0)

STACK: tuple[Component, ...] = (POSTGRES, KAFKA, CONNECT, REGISTRY)
