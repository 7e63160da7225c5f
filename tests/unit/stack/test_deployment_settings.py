"""Settings for a deployment: where each part is, how to reach it, as whom; in memory."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from psycopg.conninfo import conninfo_to_dict
from pydantic import SecretStr

from orderflow.settings import Settings, SettingsError, load_settings, reachable

pytestmark = pytest.mark.usefixtures("no_machine_settings")


@pytest.mark.parametrize(
    ("host", "reached"),
    [("0.0.0.0", "127.0.0.1"), ("::", "127.0.0.1"), ("", "127.0.0.1"), ("10.1.2.3", "10.1.2.3")],
)
def test_a_wildcard_bind_is_reached_at_loopback(host: str, reached: str) -> None:
    assert reachable(host) == reached


def test_servers_bound_to_every_interface_are_reached_and_advertised_at_loopback() -> None:
    settings = Settings(host="0.0.0.0", kafka_port=9092, registry_port=8081, connect_port=8083)

    assert settings.kafka_bootstrap == "127.0.0.1:9092"
    assert settings.kafka_advertised_host == "127.0.0.1"
    assert settings.registry_url == "http://127.0.0.1:8081"
    assert settings.connect_url == "http://127.0.0.1:8083"
    assert conninfo_to_dict(settings.service_dsn("r"))["host"] == "127.0.0.1"


def test_a_kafka_elsewhere_is_a_bootstrap_list_and_a_registry_elsewhere_a_url() -> None:
    settings = Settings(
        kafka_bootstrap_servers="b1.example:9093,b2.example:9093",
        schema_registry_url="https://registry.example/",
    )

    assert settings.kafka_bootstrap == "b1.example:9093,b2.example:9093"
    assert settings.registry_url == "https://registry.example"


def test_tls_trusts_the_named_ca_else_the_local_stack_s_else_the_system_s() -> None:
    local = Settings(kafka_security_protocol="SSL", state_dir=Path("/state"))
    named = local.model_copy(update={"kafka_ssl_ca_file": Path("/etc/ca.pem")})
    elsewhere = local.model_copy(update={"kafka_bootstrap_servers": "b1.example:9093"})

    assert local.kafka_ca_file == Path("/state/tls/ca.pem")
    assert named.kafka_ca_file == Path("/etc/ca.pem")
    assert elsewhere.kafka_ca_file is None
    assert Settings().kafka_ca_file is None  # PLAINTEXT: no TLS at all


def test_a_role_logs_in_with_its_password_and_the_settings_tls() -> None:
    settings = Settings(
        postgres_host="db.example",
        postgres_passwords={"orderflow_orders": SecretStr("it's a \\ secret")},
        postgres_sslmode="verify-full",
        postgres_ssl_root_cert=Path("/etc/pg-ca.pem"),
    )

    given = conninfo_to_dict(settings.service_dsn("orderflow_orders"))
    other = conninfo_to_dict(settings.service_dsn("orderflow_payment"))

    # Quoted so that libpq reads it back whole: the quote, the space, the backslash.
    assert given["password"] == "it's a \\ secret"
    assert (given["sslmode"], given["sslrootcert"]) == ("verify-full", "/etc/pg-ca.pem")
    assert "password" not in other
    assert other["sslmode"] == "verify-full"


def test_the_secrets_are_hidden_when_shown_and_reach_a_child_whole() -> None:
    settings = Settings(
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_username="svc",
        kafka_sasl_password=SecretStr("kafka, secret"),
        registry_username="shop",
        registry_password=SecretStr("registry secret"),
        postgres_passwords={"orderflow_orders": SecretStr("pg secret")},
    )

    assert "secret" not in repr(settings)
    env = settings.as_env()
    assert env["ORDERFLOW_KAFKA_SASL_PASSWORD"] == "kafka, secret"
    # The child reads the environment back into the same settings.
    for name, value in env.items():
        os.environ[name] = value
    try:
        child = load_settings()
    finally:
        for name in env:
            del os.environ[name]
    assert child.kafka_sasl_password == settings.kafka_sasl_password
    assert child.registry_password == settings.registry_password
    assert child.postgres_passwords == settings.postgres_passwords
    assert child.service_dsn("orderflow_orders") == settings.service_dsn("orderflow_orders")


def test_a_dot_env_file_in_the_working_folder_is_read_and_the_environment_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text(
        "ORDERFLOW_KAFKA_BOOTSTRAP_SERVERS=b1.example:9093\nORDERFLOW_REGISTRY_PORT=18081\n"
    )
    monkeypatch.setenv("ORDERFLOW_REGISTRY_PORT", "28081")

    settings = load_settings()

    assert settings.kafka_bootstrap == "b1.example:9093"
    assert settings.registry_port == 28081


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        (
            {"ORDERFLOW_KAFKA_SECURITY_PROTOCOL": "SASL_SSL"},
            "SASL_SSL needs ORDERFLOW_KAFKA_SASL_USERNAME and ORDERFLOW_KAFKA_SASL_PASSWORD",
        ),
        (
            {"ORDERFLOW_REGISTRY_USERNAME": "shop"},
            "registry basic auth needs both ORDERFLOW_REGISTRY_USERNAME and "
            "ORDERFLOW_REGISTRY_PASSWORD",
        ),
        ({"ORDERFLOW_KAFKA_SECURITY_PROTOCOL": "TLS"}, "ORDERFLOW_KAFKA_SECURITY_PROTOCOL: "),
        ({"ORDERFLOW_POSTGRES_PASSWORDS": "not json"}, "ORDERFLOW_POSTGRES_PASSWORDS: not JSON"),
        ({"ORDERFLOW_POSTGRES_SSLMODE": "sometimes"}, "ORDERFLOW_POSTGRES_SSLMODE: "),
    ],
)
def test_a_setting_that_cannot_work_is_one_message_naming_it(
    monkeypatch: pytest.MonkeyPatch, given: dict[str, str], problem: str
) -> None:
    for name, value in given.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(SettingsError) as raised:
        load_settings()

    assert problem in str(raised.value)
    assert "\n" not in str(raised.value)


def test_every_variable_of_the_example_env_file_is_a_setting() -> None:
    example = Path(__file__).resolve().parents[3] / ".env.example"
    named = re.findall(r"^# (ORDERFLOW_\w+)=", example.read_text(), flags=re.MULTILINE)

    assert len(named) > 10
    unknown = [
        name for name in named if name[len("ORDERFLOW_") :].lower() not in Settings.model_fields
    ]
    assert unknown == []
