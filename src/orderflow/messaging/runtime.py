"""The one runtime: runs any declared service, as its own process, until SIGTERM."""

from __future__ import annotations

import threading
from functools import partial

from confluent_kafka import Consumer, Producer
from psycopg_pool import ConnectionPool

from orderflow.events.codec import EventCodec
from orderflow.messaging.consumer import ConsumerLoop
from orderflow.messaging.deadletters import DeadLetters
from orderflow.messaging.inbox import Inbox
from orderflow.messaging.outbox import Outbox
from orderflow.messaging.postgres import PostgresTransactions
from orderflow.messaging.processor import AfterCommit, Processor
from orderflow.messaging.service import AnyService
from orderflow.messaging.shutdown import stop_on_signals
from orderflow.messaging.source import KafkaSource, consumer_config
from orderflow.messaging.startup import start_up
from orderflow.messaging.watchdog import group_watchdog
from orderflow.settings import Settings


def run_service(service: AnyService, settings: Settings) -> None:
    """The whole life of a service process: start up, consume (and serve), stop on a signal."""
    codec = start_up(settings, settings.service_dsn(service.role(settings)))
    consume = partial(consume_until, service, settings, codec)
    if service.http is not None:
        service.http.serve(service, settings, codec, consume)
        return
    stop = threading.Event()
    stop_on_signals(stop)
    consume(stop, None)


def consume_until(
    service: AnyService,
    settings: Settings,
    codec: EventCodec,
    stop: threading.Event,
    after_commit: AfterCommit | None,
) -> None:
    """Consume the service's topics as its group until ``stop`` is set."""
    dsn = settings.service_dsn(service.role(settings))
    with ConnectionPool(dsn, min_size=1, max_size=2, open=True) as pool:
        pool.wait(timeout=settings.startup_timeout_s)
        producer = Producer({"bootstrap.servers": settings.kafka_bootstrap, "linger.ms": 5})
        consumer = Consumer(
            {
                **consumer_config(settings.kafka_bootstrap, service.group),
                **group_watchdog(service.group),
            }
        )
        consumer.subscribe(list(service.topics))

        processor = Processor(
            transactions=PostgresTransactions(
                pool,
                Inbox(service.schema, service.group),
                Outbox(service.schema, codec),
                lambda cur: service.store(cur, settings),
            ),
            handlers=service.handlers,
            after_commit=after_commit,
        )
        try:
            ConsumerLoop(
                source=KafkaSource(consumer, settings.consumer_batch_size),
                codec=codec,
                process=processor,
                dead_letters=DeadLetters(producer, service.group),
                stop=stop,
            ).run()
        finally:
            producer.flush(10)
