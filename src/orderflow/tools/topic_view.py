"""What `orderflow topics describe` shows: a topic, its partitions and their offsets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PartitionView:
    partition: int
    leader: int
    replicas: Sequence[int]
    in_sync: Sequence[int]
    # The first offset still kept and the offset the next message will get.
    low: int
    high: int

    @property
    def messages(self) -> int:
        return self.high - self.low


def _ids(brokers: Sequence[int]) -> str:
    return ",".join(str(broker) for broker in brokers) or "-"


def describe_lines(
    topic: str, partitions: Sequence[PartitionView], configs: Mapping[str, str]
) -> list[str]:
    replication = len(partitions[0].replicas) if partitions else 0
    total = sum(view.messages for view in partitions)
    lines = [
        f"Topic: {topic}  Partitions: {len(partitions)}  ReplicationFactor: {replication}"
        f"  Messages: {total}",
        "Configs: " + (", ".join(f"{k}={v}" for k, v in sorted(configs.items())) or "(defaults)"),
    ]
    for view in sorted(partitions, key=lambda view: view.partition):
        lines.append(
            f"  Partition: {view.partition}  Leader: {view.leader}"
            f"  Replicas: {_ids(view.replicas)}  Isr: {_ids(view.in_sync)}"
            f"  Offsets: {view.low}..{view.high}  Messages: {view.messages}"
        )
    return lines
