"""What `orderflow topics describe` prints."""

from __future__ import annotations

from orderflow.tools.topic_view import PartitionView, describe_lines


def test_describe_lines() -> None:
    partitions = [
        PartitionView(1, leader=1, replicas=[1], in_sync=[1], low=0, high=5),
        PartitionView(0, leader=1, replicas=[1], in_sync=[], low=2, high=3),
    ]
    assert describe_lines("orders", partitions, {"retention.ms": "1000"}) == [
        "Topic: orders  Partitions: 2  ReplicationFactor: 1  Messages: 6",
        "Configs: retention.ms=1000",
        "  Partition: 0  Leader: 1  Replicas: 1  Isr: -  Offsets: 2..3  Messages: 1",
        "  Partition: 1  Leader: 1  Replicas: 1  Isr: 1  Offsets: 0..5  Messages: 5",
    ]


def test_no_partitions_and_default_configs() -> None:
    assert describe_lines("t", [], {}) == [
        "Topic: t  Partitions: 0  ReplicationFactor: 0  Messages: 0",
        "Configs: (defaults)",
    ]
