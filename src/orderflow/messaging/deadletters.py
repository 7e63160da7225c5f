"""The dead-letter topic: messages a consumer cannot handle, with the reason in headers."""

from __future__ import annotations

from confluent_kafka import Message, Producer

DEAD_LETTER_TOPIC = "DeadLetterTopic"
_REASON_LIMIT = 1000


class DeadLetterError(Exception):
    """The dead-letter topic did not take a message; the source offset must not be committed."""


class DeadLetters:
    def __init__(self, producer: Producer, group: str, topic: str = DEAD_LETTER_TOPIC) -> None:
        self._producer = producer
        self._group = group
        self._topic = topic

    def send(self, message: Message, reason: str) -> None:
        """Queue ``message`` for the dead-letter topic, key, value and headers unchanged."""
        headers = [
            ("dlq.reason", reason[:_REASON_LIMIT].encode()),
            ("dlq.source.topic", str(message.topic()).encode()),
            ("dlq.source.partition", str(message.partition()).encode()),
            ("dlq.source.offset", str(message.offset()).encode()),
            ("dlq.consumer.group", self._group.encode()),
            *(message.headers() or []),
        ]
        self._producer.produce(
            self._topic, value=message.value(), key=message.key(), headers=headers
        )

    def flush(self, timeout_s: float = 30.0) -> None:
        """Wait until every queued dead letter is on the broker."""
        if self._producer.flush(timeout_s):
            raise DeadLetterError(f"dead letters not delivered to {self._topic} in {timeout_s}s")
