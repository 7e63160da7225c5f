"""The start-up step every service process runs before it consumes or serves."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

import psycopg
from psycopg.rows import TupleRow

from orderflow.events.codec import EventCodec
from orderflow.events.model import Event
from orderflow.events.registration import register_schemas, registry_client
from orderflow.events.topics import ALL_TOPICS
from orderflow.messaging.deadletters import DEAD_LETTER_TOPIC
from orderflow.messaging.processor import Handler
from orderflow.messaging.shutdown import stop_on_signals
from orderflow.messaging.topics import ensure_topics
from orderflow.messaging.worker import run_worker
from orderflow.settings import Settings

log = logging.getLogger(__name__)
S = TypeVar("S")


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


def run_consumer_service(
    settings: Settings,
    *,
    group: str,
    topics: Sequence[str],
    schema: str,
    handlers: Mapping[type[Event], Handler[S]],
    store: Callable[[psycopg.Cursor[TupleRow]], S],
) -> None:
    """The whole life of a consuming service: start up, consume, stop on SIGTERM or SIGINT."""
    codec = start_up(settings)
    stop = threading.Event()
    stop_on_signals(stop)
    run_worker(
        settings,
        codec,
        group=group,
        topics=topics,
        schema=schema,
        handlers=handlers,
        store=store,
        stop=stop,
    )
