"""librdkafka's statistics (a JSON document every few seconds) as Prometheus metrics.

What matters of it to an operator: each assigned partition's lag behind the
log end, the messages waiting in the client, the round trip to each broker,
and how often the group rebalanced. See librdkafka's STATISTICS.md for the
fields; a document that is not what we expect is skipped, never fatal (the
callback runs inside the consumer's poll).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from orderflow.observability.metrics import (
    CONSUMER_LAG,
    KAFKA_QUEUE,
    KAFKA_REBALANCES,
    KAFKA_RTT,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reading:
    """What one statistics document says, in the units the metrics have."""

    lag: Mapping[tuple[str, int], int]
    """Records past the committed offset, by (topic, partition), for partitions in hand."""
    queued: int
    """Messages waiting in the client (produced unacknowledged, or fetched unconsumed)."""
    rtt_s: Mapping[str, float]
    """Average round trip to each broker over the interval, by broker name."""
    rebalances: int | None
    """The group's rebalances since the client started (a consumer's only)."""


def read(document: Mapping[str, Any]) -> Reading:
    lag: dict[tuple[str, int], int] = {}
    fetched = 0
    for topic, found in (document.get("topics") or {}).items():
        for partition, p in (found.get("partitions") or {}).items():
            number = int(partition)
            # -1 is librdkafka's "unassigned" bookkeeping partition; a lag of -1 is unknown.
            if number < 0 or p.get("fetch_state") in (None, "none", "stopped"):
                continue
            fetched += int(p.get("fetchq_cnt", 0))
            if int(p.get("consumer_lag", -1)) >= 0:
                lag[(topic, number)] = int(p["consumer_lag"])
    rtt_s = {
        str(b.get("nodename", name)): float(b["rtt"]["avg"]) / 1e6
        for name, b in (document.get("brokers") or {}).items()
        if int(b.get("nodeid", -1)) >= 0 and (b.get("rtt") or {}).get("cnt", 0) > 0
    }
    group = document.get("cgrp")
    queued = int(document.get("msg_cnt", 0)) + fetched
    rebalances = int(group["rebalance_cnt"]) if group and "rebalance_cnt" in group else None
    return Reading(lag, queued, rtt_s, rebalances)


class KafkaStatistics:
    """Feeds the metrics from one client's statistics; give ``update`` to ``stats_cb``."""

    def __init__(self, service: str, client: str, group: str | None = None) -> None:
        self._service = service
        self._client = client
        self._group = group
        self._lag_labels: set[tuple[str, str, str]] = set()
        self._rebalances_seen = 0

    def update(self, stats: str) -> None:
        try:
            reading = read(json.loads(stats))
        except (ValueError, TypeError, KeyError, AttributeError):
            log.debug("unexpected librdkafka statistics skipped", exc_info=True)
            return
        self.record(reading)

    def record(self, reading: Reading) -> None:
        KAFKA_QUEUE.labels(self._service, self._client).set(reading.queued)
        for broker, rtt in reading.rtt_s.items():
            KAFKA_RTT.labels(self._service, self._client, broker).set(rtt)
        if self._group is None:
            return
        labels = {(self._group, t, str(p)): n for (t, p), n in reading.lag.items()}
        for gone in self._lag_labels - labels.keys():
            # A partition moved to another member: its lag is that member's to say.
            CONSUMER_LAG.remove(*gone)
        for label, n in labels.items():
            CONSUMER_LAG.labels(*label).set(n)
        self._lag_labels = set(labels)
        if reading.rebalances is not None and reading.rebalances > self._rebalances_seen:
            KAFKA_REBALANCES.labels(self._group).inc(reading.rebalances - self._rebalances_seen)
            self._rebalances_seen = reading.rebalances
