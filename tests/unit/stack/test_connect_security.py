"""Connect's security: its Kafka keys and its clients', and the connector's Postgres secrets."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from orderflow.settings import Settings
from orderflow.stack import connect
from orderflow.stack.artifacts import Artifacts
from orderflow.stack.connector import database_secrets

JARS = Artifacts(
    kafka_jars=Path("/c/kafka"), plugin_path=Path("/c/plugins"), jmx_agent=Path("/c/agent.jar")
)
# The worker's own keys have no prefix; each client it makes reads only its own.
PREFIXES = ("", "producer.", "consumer.", "admin.")
SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule"


pytestmark = pytest.mark.usefixtures("no_machine_settings")


def test_with_sasl_ssl_the_worker_and_each_of_its_clients_log_in() -> None:
    settings = Settings(
        state_dir=Path("/state"),
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_mechanism="SCRAM-SHA-256",
        kafka_sasl_username="connect",
        kafka_sasl_password=SecretStr("pw"),
    )

    properties = connect.worker_properties(settings, JARS)

    for prefix in PREFIXES:
        assert properties[f"{prefix}security.protocol"] == "SASL_SSL"
        assert properties[f"{prefix}sasl.mechanism"] == "SCRAM-SHA-256"
        assert properties[f"{prefix}sasl.jaas.config"] == (
            f'{SCRAM_MODULE} required username="connect" password="pw";'
        )
        assert properties[f"{prefix}ssl.truststore.type"] == "PEM"
        assert properties[f"{prefix}ssl.truststore.location"] == "/state/tls/ca.pem"


def test_with_ssl_every_client_trusts_the_ca_it_is_told(tmp_path: Path) -> None:
    ca = tmp_path / "corporate-ca.pem"
    settings = Settings(kafka_security_protocol="SSL", kafka_ssl_ca_file=ca)

    properties = connect.worker_properties(settings, JARS)

    for prefix in PREFIXES:
        assert properties[f"{prefix}security.protocol"] == "SSL"
        assert properties[f"{prefix}ssl.truststore.location"] == str(ca)
    assert not [key for key in properties if "sasl." in key]


def test_with_plaintext_no_client_carries_security_keys() -> None:
    properties = connect.worker_properties(Settings(), JARS)

    assert not [
        key
        for key in properties
        if key.endswith("security.protocol") or "sasl." in key or "ssl." in key
    ]


@pytest.mark.parametrize(
    ("host", "connect_host", "advertised"),
    [
        ("127.0.0.1", None, "127.0.0.1"),
        ("0.0.0.0", None, "127.0.0.1"),
        ("0.0.0.0", "connect", "connect"),
    ],
)
def test_the_worker_never_advertises_a_wildcard(
    host: str, connect_host: str | None, advertised: str
) -> None:
    settings = Settings(host=host, connect_host=connect_host, connect_port=18083)

    properties = connect.worker_properties(settings, JARS)

    assert properties["listeners"] == f"http://{host}:18083"
    assert properties["rest.advertised.host.name"] == advertised
    assert properties["rest.advertised.port"] == "18083"


def test_the_connector_gets_no_database_secret_by_default() -> None:
    assert database_secrets(Settings()) == {}


def test_the_connector_gets_its_own_role_s_password_only() -> None:
    settings = Settings(
        postgres_connector_role="cdc",
        postgres_passwords={
            "cdc": SecretStr("cdc-pw"),
            "orderflow_connector": SecretStr("other"),
            "orderflow": SecretStr("su"),
        },
    )

    assert database_secrets(settings) == {"database.password": "cdc-pw"}


def test_the_connector_gets_the_postgres_tls_settings(tmp_path: Path) -> None:
    root = tmp_path / "root.crt"
    settings = Settings(
        postgres_passwords={"orderflow_connector": SecretStr("pw")},
        postgres_sslmode="verify-full",
        postgres_ssl_root_cert=root,
    )

    assert database_secrets(settings) == {
        "database.password": "pw",
        "database.sslmode": "verify-full",
        "database.sslrootcert": str(root),
    }
