"""A consumer group's committed offsets and its partitions' log ends, read without joining.

The committed offsets are read by a consumer carrying the group's id that never
subscribes: it asks the group coordinator for offsets (OffsetFetch) without
joining, so reading them moves no partition away from a running service.
``orderflow.tools.lag`` loads this module when the command runs, so that
building the CLI loads no Kafka client.
"""

from __future__ import annotations

from confluent_kafka import Consumer, KafkaException, TopicPartition

from orderflow.access import KafkaAccess
from orderflow.tools.broker import Broker, client_config, unreachable
from orderflow.tools.errors import ToolError
from orderflow.tools.lag_view import committed_offset

Partition = tuple[str, int]
"""A topic and one of its partitions."""


def partitions_of(kafka: KafkaAccess, timeout_s: float) -> dict[str, list[int]]:
    """Every topic's partitions, sorted; a ToolError, in one line, if no broker answers."""
    metadata = Broker(kafka, timeout_s).metadata()
    return {name: sorted(topic.partitions) for name, topic in metadata.topics.items()}


class GroupOffsets:
    """One group's committed offsets and the log ends, each call bounded by ``timeout_s``."""

    def __init__(self, kafka: KafkaAccess, group: str, timeout_s: float) -> None:
        self.bootstrap = kafka.bootstrap
        self.group = group
        self.timeout_s = timeout_s
        # Never subscribed, so it never joins; with auto commit off, closing it
        # commits nothing either: the group's offsets stay the group's own.
        self.consumer = Consumer(
            {**client_config(kafka), "group.id": group, "enable.auto.commit": False}
        )

    def committed(self, partitions: list[Partition]) -> dict[Partition, int | None]:
        """Where the group resumes on each partition; None where it committed nothing."""
        if not partitions:
            return {}
        asked = [TopicPartition(topic, partition) for topic, partition in partitions]
        try:
            found = self.consumer.committed(asked, timeout=self.timeout_s)
        except KafkaException:
            raise unreachable(self.bootstrap, self.timeout_s) from None
        committed: dict[Partition, int | None] = {}
        for tp in found:
            if tp.error is not None:
                raise ToolError(
                    f"cannot read group {self.group}'s offset of {tp.topic} partition "
                    f"{tp.partition}: {tp.error.str()}"
                )
            committed[(tp.topic, tp.partition)] = committed_offset(tp.offset)
        return committed

    def log_span(self, partition: Partition) -> tuple[int, int]:
        """The oldest offset the partition keeps and its log end (the next offset)."""
        topic, number = partition
        try:
            low, high = self.consumer.get_watermark_offsets(
                TopicPartition(topic, number), timeout=self.timeout_s
            )
        except KafkaException as error:
            raise ToolError(
                f"cannot read the offsets of {topic} partition {number}: {error.args[0].str()}"
            ) from None
        return low, high

    def close(self) -> None:
        self.consumer.close()
