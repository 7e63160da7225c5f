"""Creates the event and dead-letter topics before anything produces to them.

Left to auto-creation, a topic would get whatever partition count the broker
defaults to, at the moment the first record happens to arrive.
"""

from __future__ import annotations

from collections.abc import Iterable

from confluent_kafka import KafkaError, KafkaException

# Public names, but confluent_kafka.admin has no __all__ for strict mypy to see them in.
from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]

from orderflow.access import KafkaAccess


def ensure_topics(
    kafka: KafkaAccess, names: Iterable[str], partitions: int, timeout_s: float = 30.0
) -> None:
    admin = AdminClient(kafka.config())
    existing = set(admin.list_topics(timeout=timeout_s).topics)
    missing = [NewTopic(name, num_partitions=partitions) for name in names if name not in existing]
    if not missing:
        return
    for topic, future in admin.create_topics(missing, operation_timeout=timeout_s).items():
        try:
            future.result(timeout_s)
        except KafkaException as error:
            if error.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise RuntimeError(f"cannot create topic {topic}: {error}") from None
