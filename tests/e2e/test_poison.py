"""A message that cannot be decoded goes to the dead-letter topic; the consumers go on."""

from __future__ import annotations

import uuid

import httpx
import pytest

from orderflow.messaging.deadletters import DEAD_LETTER_TOPIC

from .client import place, wait_terminal
from .kafka import GROUPS, header_text, produce, read_all
from .system import System, wait_for

pytestmark = pytest.mark.stack


@pytest.mark.parametrize("topic", list(GROUPS))
def test_poison_is_dead_lettered_and_the_next_order_completes(
    system: System, http: httpx.Client, topic: str
) -> None:
    key = f"poison-{uuid.uuid4()}".encode()
    partition, offset = produce(system.settings, topic, key, b"\x00\x00\x00\x00\x07not avro")
    where = {
        "dlq.source.topic": topic,
        "dlq.source.partition": str(partition),
        "dlq.source.offset": str(offset),
    }

    def dead_letters() -> dict[str, dict[str, str]] | None:
        found = {
            h["dlq.consumer.group"]: h
            for m in read_all(system.settings, DEAD_LETTER_TOPIC)
            if m.key() == key and where.items() <= (h := header_text(m)).items()
        }
        return found if set(found) == set(GROUPS[topic]) else None

    letters = wait_for(f"the poison on {topic} to be dead-lettered", dead_letters, 60, 0.5)

    assert all(h["dlq.reason"].startswith("undecodable") for h in letters.values())
    order_id = place(http, f"user-{uuid.uuid4()}", ["item1"])
    assert wait_terminal(http, order_id) == "Paid"
