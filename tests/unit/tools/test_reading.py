"""A consumer's idle time starts at its assignment, and waiting for one has a deadline."""

from __future__ import annotations

from typing import cast

import pytest
from confluent_kafka import Consumer

from orderflow.tools.consume import Reading
from orderflow.tools.errors import ToolError

# Reading.assigned ignores the consumer; it only has librdkafka's callback signature.
NO_CONSUMER = cast(Consumer, None)


def test_not_idle_before_the_assignment() -> None:
    assert Reading("t", assign_timeout_s=60).idle_s() == 0.0


def test_idle_since_the_assignment_then_since_the_last_message() -> None:
    reading = Reading("t", assign_timeout_s=60)
    reading.assigned(NO_CONSUMER, [])
    assert 0.0 <= reading.idle_s() < 5.0
    reading.printed()
    assert reading.count == 1
    assert 0.0 <= reading.idle_s() < 5.0


def test_no_assignment_within_the_deadline_is_an_error() -> None:
    with pytest.raises(ToolError, match="the group got no partitions of t within -1 s"):
        Reading("t", assign_timeout_s=-1).idle_s()
