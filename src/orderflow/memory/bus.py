"""Topics in memory, and a consumer group's view of them as a ``Source``.

Each topic is one partition, a list of ``confluent_kafka.Message`` records
framed by the real codec, as Debezium would publish them: key = orderId,
headers ``id`` and ``eventType``. A group reads from its committed offsets;
``rewind`` moves them back, which is what a consumer that crashed before
committing sees again.
"""

from __future__ import annotations

from collections.abc import Sequence

from confluent_kafka import Message

from orderflow.events.codec import EventCodec
from orderflow.events.model import Event, type_name


class MemoryBus:
    def __init__(self, codec: EventCodec) -> None:
        self._codec = codec
        self.topics: dict[str, list[Message]] = {}

    def publish(self, events: Sequence[Event]) -> None:
        for event in events:
            headers = [
                ("id", event.event_id.encode()),
                ("eventType", type_name(type(event)).encode()),
            ]
            self.send(event.topic, self._codec.encode(event), event.order_id.encode(), headers)

    def send(
        self,
        topic: str,
        value: bytes | None,
        key: bytes | None = None,
        headers: Sequence[tuple[str, str | bytes | None]] | None = None,
    ) -> None:
        """Append a record as it is, framed or not (a poison message, say)."""
        records = self.topics.setdefault(topic, [])
        records.append(
            Message(
                topic=topic,
                partition=0,
                offset=len(records),
                key=key,
                value=value,
                headers=list(headers or []),
            )
        )

    def events(self, topic: str) -> list[Event]:
        """What is on ``topic``, decoded."""
        return [self._codec.decode(topic, m.value()) for m in self.topics.get(topic, [])]


class MemorySource:
    """One consumer group's reading of some topics of a bus."""

    def __init__(self, bus: MemoryBus, topics: Sequence[str], batch_size: int = 500) -> None:
        self._bus = bus
        self._topics = tuple(topics)
        self._batch_size = batch_size
        self.committed = dict.fromkeys(self._topics, 0)

    def next_batch(self) -> list[Message]:
        batch: list[Message] = []
        for topic in self._topics:
            start = self.committed[topic]
            batch.extend(self._bus.topics.get(topic, [])[start : start + self._batch_size])
        return batch[: self._batch_size]

    def done(self, messages: Sequence[Message]) -> None:
        for message in messages:
            topic, offset = str(message.topic()), message.offset()
            assert offset is not None
            self.committed[topic] = max(self.committed[topic], offset + 1)

    def rewind(self) -> None:
        """Read every topic from the start again."""
        self.committed = dict.fromkeys(self._topics, 0)

    def close(self) -> None:
        return None
