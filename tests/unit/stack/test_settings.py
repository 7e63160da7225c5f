from __future__ import annotations

import pytest

from orderflow.services import SERVICES
from orderflow.settings import Settings, SettingsError, load_settings
from orderflow.stack.connector import outbox_connector


def test_defaults_keep_the_original_ports(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KAFKA_PORT", "CONNECT_PORT", "REGISTRY_PORT", "ORDER_PORT"):
        monkeypatch.delenv(f"ORDERFLOW_{name}", raising=False)
    settings = load_settings()
    assert (settings.kafka_port, settings.connect_port) == (9092, 8083)
    assert (settings.registry_port, settings.order_port) == (8081, 8080)


def test_environment_overrides_a_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERFLOW_KAFKA_PORT", "19092")
    settings = load_settings()
    assert settings.kafka_bootstrap == f"{settings.host}:19092"


@pytest.mark.parametrize("bad", ["0", "70000", "ninety"])
def test_a_bad_port_is_named_in_the_error(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.setenv("ORDERFLOW_CONNECT_PORT", bad)
    with pytest.raises(SettingsError, match="ORDERFLOW_CONNECT_PORT"):
        load_settings()


def test_a_bad_heap_size_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERFLOW_KAFKA_HEAP", "lots")
    with pytest.raises(SettingsError, match="ORDERFLOW_KAFKA_HEAP"):
        load_settings()


def test_as_env_round_trips(monkeypatch: pytest.MonkeyPatch) -> None:
    original = load_settings(kafka_port=12345, connect_heap="1g")
    for name, value in original.as_env().items():
        monkeypatch.setenv(name, value)
    assert load_settings() == original


def test_each_service_connects_as_its_own_role() -> None:
    settings = load_settings(postgres_port=4321, postgres_payment_role="pay")
    users = {
        service.name: settings.service_dsn(service.role(settings)).split("user=")[1]
        for service in SERVICES
    }
    assert users == {
        "order": "orderflow_orders",
        "inventory": "orderflow_inventory",
        "shipping": "orderflow_shipping",
        "payment": "pay",
        "status": "orderflow_orders",  # the projection writes the orders' statuses
    }
    assert "port=4321" in settings.service_dsn("pay")
    assert settings.postgres_user not in users.values()


def test_by_default_no_secret_is_set_so_none_reaches_a_child_or_connect(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Local Postgres trusts loopback and the local Kafka is PLAINTEXT: a password,
    # when a deployment sets one, travels through as_env() to every child process
    # and into Connect's config; by default there is none to travel.
    for name in ("KAFKA_SASL_PASSWORD", "REGISTRY_PASSWORD", "POSTGRES_PASSWORDS"):
        monkeypatch.delenv(f"ORDERFLOW_{name}", raising=False)
    settings = load_settings()
    secrets = {name: value for name, value in settings.as_env().items() if "PASSWORD" in name}
    assert secrets == {"ORDERFLOW_POSTGRES_PASSWORDS": "{}"}
    assert not any("password" in key for key in outbox_connector(settings)[1])


def test_the_clients_reach_each_part_at_host_unless_told_its_own() -> None:
    settings = Settings(host="127.0.0.1", kafka_port=9092, registry_port=8081, postgres_port=15432)

    assert settings.kafka_bootstrap == "127.0.0.1:9092"
    assert settings.registry_url == "http://127.0.0.1:8081"
    assert "host=127.0.0.1 port=15432" in settings.postgres_dsn


def test_in_compose_the_services_listen_anywhere_and_reach_the_others_by_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in {
        "ORDERFLOW_HOST": "0.0.0.0",
        "ORDERFLOW_KAFKA_HOST": "kafka",
        "ORDERFLOW_POSTGRES_HOST": "postgres",
        "ORDERFLOW_REGISTRY_HOST": "schema-registry",
        "ORDERFLOW_CONNECT_HOST": "connect",
    }.items():
        monkeypatch.setenv(name, value)

    settings = load_settings()

    assert settings.host == "0.0.0.0"
    assert settings.kafka_bootstrap == f"kafka:{settings.kafka_port}"
    assert settings.registry_url == f"http://schema-registry:{settings.registry_port}"
    assert settings.connect_url == f"http://connect:{settings.connect_port}"
    assert settings.postgres_dsn.startswith(f"host=postgres port={settings.postgres_port} ")
    assert settings.service_dsn("orderflow_orders").startswith("host=postgres ")
    # A child process gets them too.
    assert settings.as_env()["ORDERFLOW_KAFKA_HOST"] == "kafka"
