"""A message that cannot be decoded goes to the dead-letter topic; the consumers go on."""

from __future__ import annotations

import uuid

import httpx
import pytest

from .client import place, wait_terminal
from .kafka import GROUPS, dead_lettered
from .system import System

pytestmark = pytest.mark.stack


@pytest.mark.parametrize("topic", list(GROUPS))
def test_poison_is_dead_lettered_and_the_next_order_completes(
    system: System, http: httpx.Client, topic: str
) -> None:
    letters = dead_lettered(system.settings, topic, b"\x00\x00\x00\x00\x07not avro")

    assert all(h["dlq.reason"].startswith("undecodable") for h in letters.values())
    order_id = place(http, f"user-{uuid.uuid4()}", ["item1"])
    assert wait_terminal(http, order_id) == "Paid"
