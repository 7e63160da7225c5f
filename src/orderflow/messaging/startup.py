"""The start-up step every service process runs before it consumes or serves."""

from __future__ import annotations

import logging

from orderflow.access import kafka_access, registry_access
from orderflow.events.codec import EventCodec
from orderflow.events.registration import register_schemas, registry_client
from orderflow.events.topics import ALL_TOPICS
from orderflow.messaging import dependencies
from orderflow.messaging.deadletters import DEAD_LETTER_TOPIC
from orderflow.messaging.topics import ensure_topics
from orderflow.settings import Settings

log = logging.getLogger(__name__)


def start_up(settings: Settings, postgres_dsn: str | None = None) -> EventCodec:
    """Wait for Postgres, Kafka and the registry, register the schemas, create the topics.

    ``postgres_dsn`` is the one the process will log in with (a service's own
    role, which exists once the migrations have run); by default the owner's.
    Raises DependencyUnavailable if one of them is still missing after
    ``startup_timeout_s``; returns the codec. Logging is the caller's to
    configure, first (``observability.logs.configure_logging``).
    """
    kafka, registry = kafka_access(settings), registry_access(settings)
    # Kafka before the registry: ours keeps its schemas in a Kafka topic.
    dependencies.wait_for(
        (
            dependencies.postgres(postgres_dsn or settings.postgres_dsn),
            dependencies.kafka(kafka),
            dependencies.registry(registry),
        ),
        settings.startup_timeout_s,
    )
    client = registry_client(registry)
    ids = register_schemas(client, registry.url)
    log.info("schemas registered: %s", ids)
    ensure_topics(kafka, (*ALL_TOPICS, DEAD_LETTER_TOPIC), settings.topic_partitions)
    return EventCodec(client)
