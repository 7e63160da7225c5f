"""The one runtime: runs any declared service, as its own process, until SIGTERM."""

from __future__ import annotations

import threading
from collections.abc import Callable

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
from orderflow.messaging.processor import Processor
from orderflow.messaging.service import AnyService, Declared, HttpService
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


def run_service(service: Declared, settings: Settings) -> None:
    """The whole life of a service process: start up, consume (or serve), stop on a signal."""
    configure_logging(service.name, settings.log_format, access_log=settings.access_log)
    if isinstance(service, HttpService):
        readiness = Readiness(service.name, front_checks(service, settings))
        codec = start_up(settings, settings.service_dsn(service.role(settings)))
        configure_tracing(service.name)
        service.serve(service, settings, codec, readiness)
        return
    assignment = Assignment(service.group)
    readiness = Readiness(service.name, consumer_checks(service, settings, assignment))
    # Before start-up, which may wait minutes for Postgres: /readyz says so meanwhile.
    serve_health(settings.host, own_port(service, settings), readiness)
    recording = configure_tracing(service.name)
    codec = start_up(settings, settings.service_dsn(service.role(settings)))
    stop = threading.Event()
    stop_on_signals(stop)
    consume_until(service, settings, codec, assignment, recording, stop)


def own_port(service: Declared, settings: Settings) -> int:
    """This process's HTTP port: its service's, or one of its own for a further instance."""
    return instance_port(service.port(settings), settings.instance)


def front_checks(service: HttpService, settings: Settings) -> list[Check]:
    """Ready: its database answers. It places an order with Postgres alone (the outbox
    waits for Kafka; the schemas' ids are known since start-up), so Kafka or the registry
    down leaves it able to do its job."""
    return [_database(service, settings)]


def consumer_checks(service: AnyService, settings: Settings, assignment: Assignment) -> list[Check]:
    """Ready: its database, Kafka and the registry answer, and its consumer holds partitions."""
    return [
        _database(service, settings),
        Check("kafka", dependencies.kafka(kafka_access(settings)).probe),
        Check("registry", dependencies.registry(registry_access(settings)).probe),
        Check("consumer", assignment.probe),
    ]


def _database(service: Declared, settings: Settings) -> Check:
    dsn = settings.service_dsn(service.role(settings))
    return Check("database", dependencies.postgres(dsn).probe)


def consume_until(
    service: AnyService,
    settings: Settings,
    codec: EventCodec,
    assignment: Assignment,
    recording: bool,
    stop: threading.Event,
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
