from __future__ import annotations

import pytest

from orderflow.settings import SettingsError, load_settings


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
