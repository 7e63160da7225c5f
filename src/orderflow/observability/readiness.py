"""Readiness: can this process do its job now? Its database, broker and registry answer,
and its consumer holds partitions. ``/readyz`` says which of these is not so.

Liveness (``/healthz``) is only that the process answers: a process whose
database is down is alive and waits (its consumer retries for as long as it
takes), so nothing should restart it for that; it is not ready.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from confluent_kafka import TopicPartition

from orderflow.messaging.dependencies import Probe


@dataclass(frozen=True)
class Check:
    name: str
    """How ``/readyz`` names it: ``database``, ``kafka``, ``registry``, ``consumer``."""
    probe: Probe
    """None when all is well, else why not, in a few words."""


def verdict(service: str, results: Mapping[str, str | None]) -> tuple[bool, dict[str, Any]]:
    """Ready when every check passed; the body names each check's result."""
    failing = {name: reason for name, reason in results.items() if reason is not None}
    body = {
        "service": service,
        "ready": not failing,
        "checks": {name: reason or "ok" for name, reason in results.items()},
    }
    return not failing, body


class Readiness:
    """The checks of one process, run side by side so that ``/readyz`` takes as long as the
    slowest (each probe gives up after two seconds)."""

    def __init__(self, service: str, checks: Sequence[Check]) -> None:
        self.service = service
        self._checks = list(checks)

    def report(self) -> tuple[bool, dict[str, Any]]:
        if not self._checks:
            return verdict(self.service, {"starting": "no checks yet"})
        with ThreadPoolExecutor(max_workers=len(self._checks)) as pool:
            reasons = list(pool.map(lambda check: check.probe(), self._checks))
        named = {c.name: reason for c, reason in zip(self._checks, reasons, strict=True)}
        return verdict(self.service, named)


class Assignment:
    """The partitions the consumer holds, kept by its rebalance callbacks (which run in
    its poll, on the consumer's thread) and read by ``/readyz`` on another."""

    def __init__(self, group: str) -> None:
        self._group = group
        self._lock = threading.Lock()
        self._held: set[tuple[str, int]] = set()

    def assigned(self, _consumer: object, partitions: list[TopicPartition]) -> None:
        with self._lock:
            self._held |= {(p.topic, p.partition) for p in partitions}

    def revoked(self, _consumer: object, partitions: list[TopicPartition]) -> None:
        with self._lock:
            self._held -= {(p.topic, p.partition) for p in partitions}

    def lost(self, _consumer: object, _partitions: list[TopicPartition]) -> None:
        with self._lock:
            self._held.clear()

    @property
    def held(self) -> int:
        with self._lock:
            return len(self._held)

    def probe(self) -> str | None:
        if self.held:
            return None
        return f"no partitions assigned yet in group {self._group}"
