"""One set of settings, every client's config: librdkafka's keys and the registry's."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from orderflow.access import KafkaAccess, RegistryAccess, kafka_access, registry_access
from orderflow.settings import Settings

pytestmark = pytest.mark.usefixtures("no_machine_settings")


def test_plaintext_is_the_brokers_alone() -> None:
    assert kafka_access(Settings(kafka_port=9092)).config() == {
        "bootstrap.servers": "127.0.0.1:9092"
    }


def test_sasl_ssl_carries_the_mechanism_the_user_and_the_ca() -> None:
    settings = Settings(
        kafka_bootstrap_servers="b1:9093,b2:9093",
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_mechanism="SCRAM-SHA-256",
        kafka_sasl_username="svc",
        kafka_sasl_password=SecretStr("s3cret"),
        kafka_ssl_ca_file=Path("/etc/kafka-ca.pem"),
    )

    assert kafka_access(settings).config() == {
        "bootstrap.servers": "b1:9093,b2:9093",
        "security.protocol": "SASL_SSL",
        "ssl.ca.location": "/etc/kafka-ca.pem",
        "sasl.mechanism": "SCRAM-SHA-256",
        "sasl.username": "svc",
        "sasl.password": "s3cret",
    }


def test_ssl_alone_sends_no_sasl_keys_and_a_managed_kafka_uses_the_system_cas() -> None:
    settings = Settings(kafka_bootstrap_servers="b1:9093", kafka_security_protocol="SSL")

    assert kafka_access(settings).config() == {
        "bootstrap.servers": "b1:9093",
        "security.protocol": "SSL",
    }


def test_a_client_s_own_keys_come_last_and_win() -> None:
    access = KafkaAccess("b:1", {"security.protocol": "SSL"})

    config = access.config({"group.id": "g"}, {"group.id": "h", "log_level": 0})

    assert config == {
        "bootstrap.servers": "b:1",
        "security.protocol": "SSL",
        "group.id": "h",
        "log_level": 0,
    }


def test_other_brokers_keep_the_credentials() -> None:
    access = KafkaAccess("b:1", {"sasl.password": "p"})

    assert access.at("c:2") == KafkaAccess("c:2", {"sasl.password": "p"})
    assert access.bootstrap == "b:1"


def test_a_registry_without_credentials_gets_none() -> None:
    access = registry_access(Settings(registry_port=8081))

    assert access.client_config() == {"url": "http://127.0.0.1:8081"}
    assert (access.auth, access.verify) == (None, True)


def test_a_registry_with_basic_auth_and_its_own_ca() -> None:
    settings = Settings(
        schema_registry_url="https://registry.example",
        registry_username="shop",
        registry_password=SecretStr("pw:with colon"),
        registry_ssl_ca_file=Path("/etc/registry-ca.pem"),
    )

    access = registry_access(settings)

    assert access.client_config({"timeout": 5}) == {
        "url": "https://registry.example",
        "basic.auth.user.info": "shop:pw:with colon",
        "ssl.ca.location": "/etc/registry-ca.pem",
        "timeout": 5,
    }
    assert access.auth == ("shop", "pw:with colon")
    assert access.verify == "/etc/registry-ca.pem"
    assert access.at("http://other:8081") == RegistryAccess(
        "http://other:8081", "shop", "pw:with colon", "/etc/registry-ca.pem"
    )
