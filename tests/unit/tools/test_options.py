"""-b/--bootstrap-server: one broker as host:port, and the settings it points at."""

from __future__ import annotations

import pytest
import typer

from orderflow.settings import Settings
from orderflow.tools.options import bootstrap_of, broker_address, pointed_at


@pytest.mark.parametrize(
    "text", ["localhost:9092", "127.0.0.1:19092", "kafka.example:1", "[::1]:65535"]
)
def test_a_broker_address(text: str) -> None:
    assert broker_address(f" {text} ") == text


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("localhost", "is not host:port"),
        (":9092", "is not host:port"),
        ("local host:9092", "is not host:port"),
        ("localhost:", "has no port in 1..65535"),
        ("localhost:0", "has no port in 1..65535"),
        ("localhost:70000", "has no port in 1..65535"),
        ("localhost:http", "has no port in 1..65535"),
        ("::1:9092", "an IPv6 host goes in brackets"),
        ("a:1,b:2", "is a list; give one broker"),
    ],
)
def test_what_is_not_one_broker_is_a_usage_error(text: str, problem: str) -> None:
    with pytest.raises(typer.BadParameter, match=problem):
        broker_address(text)


def test_the_broker_given_wins_over_the_settings() -> None:
    settings = Settings(host="10.0.0.1", kafka_port=9092)
    assert bootstrap_of(settings, None) == "10.0.0.1:9092"
    assert bootstrap_of(settings, "elsewhere:19092") == "elsewhere:19092"


def test_pointed_at_moves_kafka_and_leaves_the_settings_given_alone() -> None:
    settings = Settings(host="10.0.0.1", kafka_port=9092)
    assert pointed_at(settings, None) is settings
    moved = pointed_at(settings, "[::1]:19092")
    assert moved.kafka_bootstrap == "[::1]:19092"
    assert settings.kafka_bootstrap == "10.0.0.1:9092"
