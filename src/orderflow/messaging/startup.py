"""The start-up step every service process runs before it consumes or serves."""

from __future__ import annotations

import logging

from orderflow.events.codec import EventCodec
from orderflow.events.registration import register_schemas, registry_client
from orderflow.events.topics import ALL_TOPICS
from orderflow.messaging.deadletters import DEAD_LETTER_TOPIC
from orderflow.messaging.topics import ensure_topics
from orderflow.settings import Settings

log = logging.getLogger(__name__)


def start_up(settings: Settings) -> EventCodec:
    """Register the schemas (fails fast), create the topics, and return the codec."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    for chatty in ("httpx", "httpx2"):  # the registry client logs every request at INFO
        logging.getLogger(chatty).setLevel(logging.WARNING)
    client = registry_client(settings.registry_url)
    ids = register_schemas(client, settings.registry_url)
    log.info("schemas registered: %s", ids)
    ensure_topics(
        settings.kafka_bootstrap, (*ALL_TOPICS, DEAD_LETTER_TOPIC), settings.topic_partitions
    )
    return EventCodec(client)
