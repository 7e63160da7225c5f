"""The dead letters, newest first, as ``orderflow dead-letters list --json`` has each one.

Read on request only (the page's dead-letters tab), from the topic's start to
its end as it was when the request came, as the CLI reads it: a topic that
keeps filling is read in bounded time.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter

from orderflow.access import KafkaAccess, kafka_access
from orderflow.dashboard.errors import Unavailable
from orderflow.dashboard.state import SettingsDep
from orderflow.messaging.deadletters import DEAD_LETTER_TOPIC
from orderflow.tools.broker import Broker
from orderflow.tools.dead_letters_topic import KafkaLetters
from orderflow.tools.dead_letters_view import chronological, dead_letter_of, letter_document
from orderflow.tools.errors import ToolError

router = APIRouter(prefix="/api/dead-letters", tags=["dead letters"])

LIMIT = 200
TIMEOUT_S = 5.0


def newest_letters(kafka: KafkaAccess, topic: str, timeout_s: float) -> list[dict[str, object]]:
    """At most LIMIT dead letters, newest first; none when the topic does not exist yet
    (the services create it with the others, but nothing may have run yet)."""
    broker = Broker(kafka, timeout_s)
    if topic not in broker.topic_names():
        return []
    letters = chronological(dead_letter_of(record) for record in KafkaLetters(broker, topic).read())
    return [letter_document(letter, topic) for letter in reversed(letters[-LIMIT:])]


def letters_kept(broker: Broker, topic: str) -> int:
    """How many dead letters the topic keeps (0 before it exists), from its offsets."""
    if topic not in broker.topic_names():
        return 0
    return KafkaLetters(broker, topic).count()


@router.get("")
async def dead_letters(settings: SettingsDep) -> dict[str, object]:
    # confluent-kafka's calls block: in a thread, so that the live page goes on.
    try:
        letters = await asyncio.to_thread(
            newest_letters, kafka_access(settings), DEAD_LETTER_TOPIC, TIMEOUT_S
        )
    except ToolError as error:
        raise Unavailable(503, "kafka_unavailable", str(error)) from None
    return {"topic": DEAD_LETTER_TOPIC, "letters": letters}
