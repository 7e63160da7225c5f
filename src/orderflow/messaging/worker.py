"""Wires one consumer worker: Kafka consumer, Postgres pool, processor, dead letters."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

import psycopg
from confluent_kafka import Consumer, Producer
from psycopg.rows import TupleRow
from psycopg_pool import ConnectionPool

from orderflow.events.codec import EventCodec
from orderflow.events.model import Event
from orderflow.messaging.consumer import ConsumerLoop
from orderflow.messaging.deadletters import DeadLetters
from orderflow.messaging.inbox import Inbox
from orderflow.messaging.outbox import Outbox
from orderflow.messaging.processor import Handler, Processor
from orderflow.messaging.source import KafkaSource, consumer_config
from orderflow.settings import Settings

S = TypeVar("S")


def run_worker(
    settings: Settings,
    codec: EventCodec,
    *,
    group: str,
    topics: Sequence[str],
    schema: str,
    handlers: Mapping[type[Event], Handler[S]],
    store: Callable[[psycopg.Cursor[TupleRow]], S],
    stop: threading.Event,
    after_commit: Callable[[Sequence[Event]], None] | None = None,
) -> None:
    """Consume ``topics`` as ``group`` until ``stop`` is set; state lives in ``schema``."""
    with ConnectionPool(settings.service_dsn(schema), min_size=1, max_size=2, open=True) as pool:
        pool.wait(timeout=settings.startup_timeout_s)
        producer = Producer({"bootstrap.servers": settings.kafka_bootstrap, "linger.ms": 5})
        consumer = Consumer(consumer_config(settings.kafka_bootstrap, group))
        consumer.subscribe(list(topics))
        processor = Processor(
            pool=pool,
            inbox=Inbox(schema, group),
            outbox=Outbox(schema, codec),
            handlers=handlers,
            store=store,
            after_commit=after_commit,
        )
        try:
            ConsumerLoop(
                source=KafkaSource(consumer, settings.consumer_batch_size),
                codec=codec,
                process=processor,
                dead_letters=DeadLetters(producer, group),
                stop=stop,
            ).run()
        finally:
            producer.flush(10)
