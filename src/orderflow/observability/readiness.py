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
    """Whether the consumer is a member of its group, and the partitions it holds, kept
    by its rebalance callbacks (which run in its poll, on the consumer's thread) and
    read by ``/readyz`` on another.

    Ready means a member: a replica that holds no partition (more replicas than
    partitions, or all of them moved to the others) is ready too, standing by.
    With the cooperative assignor every rebalance ends in an assign callback,
    empty if nothing came to this member, so the first one says it joined.
    """

    def __init__(self, group: str) -> None:
        self._group = group
        self._lock = threading.Lock()
        self._held: set[tuple[str, int]] = set()
        self._member = False

    def assigned(self, _consumer: object, partitions: list[TopicPartition]) -> None:
        with self._lock:
            self._member = True
            self._held |= {(p.topic, p.partition) for p in partitions}

    def revoked(self, _consumer: object, partitions: list[TopicPartition]) -> None:
        with self._lock:
            self._held -= {(p.topic, p.partition) for p in partitions}

    def lost(self, _consumer: object, _partitions: list[TopicPartition]) -> None:
        # The group went on without us (a session that timed out): a member again
        # only at the next assignment.
        with self._lock:
            self._member = False
            self._held.clear()

    @property
    def held(self) -> int:
        with self._lock:
            return len(self._held)

    def probe(self) -> str | None:
        with self._lock:
            if self._member:
                return None
        return f"not a member of group {self._group} yet: no assignment received"
