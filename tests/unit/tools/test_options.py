"""-b/--bootstrap-server: brokers as host:port[,host:port], and the settings they point at."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from pydantic import SecretStr

from orderflow.settings import Settings
from orderflow.tools.options import bootstrap_of, broker_address, pointed_at


@pytest.mark.parametrize(
    "text", ["localhost:9092", "127.0.0.1:19092", "kafka.example:1", "[::1]:65535"]
)
def test_a_broker_address(text: str) -> None:
    assert broker_address(f" {text} ") == text


def test_a_list_of_brokers_is_each_checked_and_kept_in_order() -> None:
    assert broker_address("b1:9092, b2:9093 ,[::1]:9094") == "b1:9092,b2:9093,[::1]:9094"


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
        ("a:1,b", "'b' is not host:port"),
        ("a:1,,b:2", "has an empty broker between its commas"),
        ("a:1,b:0", "'b:0' has no port in 1..65535"),
    ],
)
def test_what_is_not_brokers_is_a_usage_error(text: str, problem: str) -> None:
    with pytest.raises(typer.BadParameter, match=problem):
        broker_address(text)


def test_the_broker_given_wins_over_the_settings() -> None:
    settings = Settings(host="10.0.0.1", kafka_port=9092)
    assert bootstrap_of(settings, None).bootstrap == "10.0.0.1:9092"
    assert bootstrap_of(settings, "elsewhere:19092").bootstrap == "elsewhere:19092"


def test_the_broker_given_keeps_the_settings_credentials() -> None:
    settings = Settings(
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_username="svc",
        kafka_sasl_password=SecretStr("s3cret"),
        kafka_ssl_ca_file=Path("/etc/ca.pem"),
    )
    config = bootstrap_of(settings, "elsewhere:19092").config()
    assert config["bootstrap.servers"] == "elsewhere:19092"
    assert config["security.protocol"] == "SASL_SSL"
    assert config["sasl.password"] == "s3cret"
    assert config["ssl.ca.location"] == "/etc/ca.pem"


def test_pointed_at_moves_kafka_and_leaves_the_settings_given_alone() -> None:
    settings = Settings(host="10.0.0.1", kafka_port=9092)
    assert pointed_at(settings, None) is settings
    moved = pointed_at(settings, "[::1]:19092")
    assert moved.kafka_bootstrap == "[::1]:19092"
    assert settings.kafka_bootstrap == "10.0.0.1:9092"
    # Only Kafka moves: the registry and Postgres stay where the settings put them.
    assert moved.registry_url == settings.registry_url
    assert moved.service_dsn("r") == settings.service_dsn("r")
