"""The one runtime: runs any declared service, as its own process, until SIGTERM."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial

from confluent_kafka import Consumer, Producer
from psycopg_pool import ConnectionPool

from orderflow.access import kafka_access, registry_access
from orderflow.events.codec import EventCodec
from orderflow.messaging import dependencies
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
from orderflow.messaging.watchdog import STATS_INTERVAL_MS, watchdog
from orderflow.observability.admin_http import serve_health
from orderflow.observability.kafka_stats import KafkaStatistics
from orderflow.observability.logs import configure_logging
from orderflow.observability.metrics import ServiceMetrics, watch_pool
from orderflow.observability.readiness import Assignment, Check, Readiness
from orderflow.observability.tracing import batch_tracing, configure_tracing
from orderflow.settings import Settings
from orderflow.stack.scale import instance_port


def run_service(service: AnyService, settings: Settings) -> None:
    """The whole life of a service process: start up, consume (and serve), stop on a signal."""
    configure_logging(service.name, settings.log_format, access_log=settings.access_log)
    assignment = Assignment(service.group)
    readiness = Readiness(service.name, readiness_checks(service, settings, assignment))
    if service.http is None:
        # Before start-up, which may wait minutes for Postgres: /readyz says so meanwhile.
        serve_health(settings.host, own_port(service, settings), readiness)
    recording = configure_tracing(service.name)
    codec = start_up(settings, settings.service_dsn(service.role(settings)))
    consume = partial(consume_until, service, settings, codec, assignment, recording)
    if service.http is not None:
        service.http.serve(service, settings, codec, consume, readiness)
        return
    stop = threading.Event()
    stop_on_signals(stop)
    consume(stop, None)


def own_port(service: AnyService, settings: Settings) -> int:
    """This process's HTTP port: its service's, or one of its own for a further instance."""
    return instance_port(service.port(settings), settings.instance)


def readiness_checks(
    service: AnyService, settings: Settings, assignment: Assignment
) -> list[Check]:
    """Ready: its database, Kafka and the registry answer, and its consumer holds partitions."""
    dsn = settings.service_dsn(service.role(settings))
    return [
        Check("database", dependencies.postgres(dsn).probe),
        Check("kafka", dependencies.kafka(kafka_access(settings)).probe),
        Check("registry", dependencies.registry(registry_access(settings)).probe),
        Check("consumer", assignment.probe),
    ]


def consume_until(
    service: AnyService,
    settings: Settings,
    codec: EventCodec,
    assignment: Assignment,
    recording: bool,
    stop: threading.Event,
    after_commit: AfterCommit | None,
) -> None:
    """Consume the service's topics as its group until ``stop`` is set."""
    dsn = settings.service_dsn(service.role(settings))
    metrics = ServiceMetrics(service.name, service.group)
    statistics = KafkaStatistics(service.name, "consumer", service.group)
    with ConnectionPool(dsn, min_size=1, max_size=2, open=True) as pool:
        pool.wait(timeout=settings.startup_timeout_s)
        watch_pool(service.name, "consumer", pool.get_stats)
        kafka = kafka_access(settings)
        # Dead letters: acknowledged once every in-sync replica has one (two of three
        # on a cluster), and never written twice by a retry.
        producer = Producer(
            kafka.config({"linger.ms": 5, "acks": "all", "enable.idempotence": True})
        )
        consumer = Consumer(
            kafka.config(
                consumer_config(service.group),
                {
                    "statistics.interval.ms": STATS_INTERVAL_MS,
                    "stats_cb": _both(watchdog(service.group), statistics.update),
                },
            )
        )
        consumer.subscribe(
            list(service.topics),
            on_assign=assignment.assigned,
            on_revoke=assignment.revoked,
            on_lost=assignment.lost,
        )

        processor = Processor(
            transactions=PostgresTransactions(
                pool,
                Inbox(service.schema, service.group),
                Outbox(service.schema, codec),
                lambda cur: service.store(cur, settings),
            ),
            handlers=service.handlers,
            after_commit=after_commit,
            outcomes=metrics.outcomes,
        )
        try:
            ConsumerLoop(
                source=KafkaSource(consumer, settings.consumer_batch_size),
                codec=codec,
                process=processor,
                dead_letters=DeadLetters(producer, service.group),
                stop=stop,
                service=service.name,
                metrics=metrics,
                tracing=batch_tracing(recording),
            ).run()
        finally:
            producer.flush(10)


def _both(first: Callable[[str], None], second: Callable[[str], None]) -> Callable[[str], None]:
    """One statistics callback for two readers (librdkafka takes one)."""

    def on_stats(stats: str) -> None:
        first(stats)
        second(stats)

    return on_stats
