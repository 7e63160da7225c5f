"""The local broker's listener security: TLS, SASL, and the SCRAM credential at format."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pytest
from pydantic import SecretStr

from orderflow.settings import SaslMechanism, Settings
from orderflow.stack import kafka
from orderflow.stack.artifacts import Artifacts
from orderflow.stack.errors import StackError
from orderflow.stack.layout import StateLayout

PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule"
SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule"
LOG_DIRS = Path("/state/data/kafka")


pytestmark = pytest.mark.usefixtures("no_machine_settings")


def sasl_settings(
    mechanism: SaslMechanism = "SCRAM-SHA-512",
    *,
    host: str = "127.0.0.1",
    kafka_host: str | None = None,
) -> Settings:
    return Settings(
        host=host,
        kafka_host=kafka_host,
        state_dir=Path("/state"),
        kafka_port=1111,
        kafka_controller_port=2222,
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_mechanism=mechanism,
        kafka_sasl_username="alice",
        kafka_sasl_password=SecretStr("s3cret"),
    )


def test_plaintext_has_a_plaintext_listener_and_no_security_keys() -> None:
    settings = Settings(state_dir=Path("/state"), kafka_port=1111, kafka_controller_port=2222)

    properties = kafka.server_properties(settings, LOG_DIRS)

    assert properties["listeners"] == "PLAINTEXT://127.0.0.1:1111,CONTROLLER://127.0.0.1:2222"
    assert properties["advertised.listeners"] == "PLAINTEXT://127.0.0.1:1111"
    assert properties["listener.security.protocol.map"] == (
        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
    )
    assert properties["inter.broker.listener.name"] == "PLAINTEXT"
    assert not [key for key in properties if key.startswith(("ssl.", "sasl.", "listener.name."))]


def test_ssl_serves_the_local_certificate_on_an_ssl_listener() -> None:
    settings = Settings(
        state_dir=Path("/state"),
        kafka_port=1111,
        kafka_controller_port=2222,
        kafka_security_protocol="SSL",
    )

    properties = kafka.server_properties(settings, LOG_DIRS)

    assert properties["listeners"] == "SSL://127.0.0.1:1111,CONTROLLER://127.0.0.1:2222"
    assert properties["advertised.listeners"] == "SSL://127.0.0.1:1111"
    assert properties["listener.security.protocol.map"] == "SSL:SSL,CONTROLLER:PLAINTEXT"
    assert properties["inter.broker.listener.name"] == "SSL"
    assert kafka.listener_security(settings) == {
        "ssl.keystore.type": "PEM",
        "ssl.keystore.location": "/state/tls/broker.pem",
        "ssl.truststore.type": "PEM",
        "ssl.truststore.location": "/state/tls/ca.pem",
    }
    assert not [key for key in properties if key.startswith(("sasl.", "listener.name."))]
    # A PEM keystore takes no password; Kafka refuses to start with one.
    assert not [key for key in properties if key.endswith(".password")]


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_sasl_ssl_enables_the_mechanism_on_its_listener(mechanism: SaslMechanism) -> None:
    settings = sasl_settings(mechanism)

    properties = kafka.server_properties(settings, LOG_DIRS)

    assert properties["listeners"] == "SASL_SSL://127.0.0.1:1111,CONTROLLER://127.0.0.1:2222"
    assert properties["listener.security.protocol.map"] == "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT"
    assert properties["inter.broker.listener.name"] == "SASL_SSL"
    assert properties["sasl.enabled.mechanisms"] == mechanism
    assert properties["sasl.mechanism.inter.broker.protocol"] == mechanism
    assert properties["ssl.keystore.location"] == "/state/tls/broker.pem"
    jaas_key = f"listener.name.sasl_ssl.{mechanism.lower()}.sasl.jaas.config"
    assert properties[jaas_key] == kafka.broker_jaas(settings)


@pytest.mark.parametrize(
    ("kafka_host", "advertised"), [(None, "127.0.0.1"), ("kafka.internal", "kafka.internal")]
)
def test_a_broker_bound_to_every_interface_never_advertises_the_wildcard(
    kafka_host: str | None, advertised: str
) -> None:
    settings = sasl_settings(host="0.0.0.0", kafka_host=kafka_host)

    properties = kafka.server_properties(settings, LOG_DIRS)

    # The controller is PLAINTEXT: on this machine only, never on the network.
    assert properties["listeners"] == "SASL_SSL://0.0.0.0:1111,CONTROLLER://127.0.0.1:2222"
    assert properties["advertised.listeners"] == f"SASL_SSL://{advertised}:1111"
    assert properties["controller.quorum.voters"] == "1@127.0.0.1:2222"
    assert "0.0.0.0" not in properties["advertised.listeners"]


def test_broker_jaas_with_plain_lists_the_user_as_an_account() -> None:
    assert kafka.broker_jaas(sasl_settings("PLAIN")) == (
        f'{PLAIN_MODULE} required username="alice" password="s3cret" user_alice="s3cret";'
    )


@pytest.mark.parametrize("mechanism", ["SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_broker_jaas_with_scram_only_logs_in(mechanism: SaslMechanism) -> None:
    # A SCRAM account lives in the cluster's metadata, never in the JAAS line.
    assert kafka.broker_jaas(sasl_settings(mechanism)) == (
        f'{SCRAM_MODULE} required username="alice" password="s3cret";'
    )


def test_scram_argument_matches_rfc_7677_s_exchange() -> None:
    # RFC 7677, section 3: user "user", password "pencil". The RFC publishes the
    # proofs, not SaltedPassword: both are recomputed from ours with HMAC alone.
    salt = base64.b64decode("W22ZaJ0SNY7soEsUEjb6gQ==")
    client_nonce = "rOprNGfwEbeRWgbNEkqO"
    nonce = client_nonce + "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
    auth_message = (
        f"n=user,r={client_nonce},r={nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r={nonce}"
    ).encode()

    argument = kafka.scram_argument("SCRAM-SHA-256", "user", "pencil", salt)

    prefix = "SCRAM-SHA-256=[name=user,salt=W22ZaJ0SNY7soEsUEjb6gQ==,saltedpassword="
    assert argument.startswith(prefix)
    assert argument.endswith(",iterations=4096]")
    salted = base64.b64decode(argument.removeprefix(prefix).removesuffix(",iterations=4096]"))
    server_key = hmac.digest(salted, b"Server Key", "sha256")
    server_signature = hmac.digest(server_key, auth_message, "sha256")
    client_key = hmac.digest(salted, b"Client Key", "sha256")
    client_signature = hmac.digest(hashlib.sha256(client_key).digest(), auth_message, "sha256")
    proof = bytes(a ^ b for a, b in zip(client_key, client_signature, strict=True))
    assert base64.b64encode(server_signature) == b"6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="
    assert base64.b64encode(proof) == b"dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="


def test_a_scram_user_with_a_comma_is_refused() -> None:
    # kafka-storage splits its value at every comma: the name would be cut short.
    with pytest.raises(StackError, match="comma"):
        kafka.scram_argument("SCRAM-SHA-512", "a,b", "pw", b"salt")


def test_a_password_with_a_comma_is_carried_salted() -> None:
    argument = kafka.scram_argument("SCRAM-SHA-512", "alice", "p,w=x]", b"salt", iterations=8192)

    assert "p,w" not in argument
    assert argument.count(",") == 3
    assert argument.endswith(",iterations=8192]")


def test_format_glues_each_scram_credential_to_its_option() -> None:
    arguments = kafka.format_arguments(
        "cluster", Path("/state/kafka.properties"), ["SCRAM-SHA-512=[name=a]", "X=[name=b]"]
    )

    assert arguments == [
        "format",
        "--cluster-id=cluster",
        "-c",
        "/state/kafka.properties",
        "--add-scram=SCRAM-SHA-512=[name=a]",
        "--add-scram=X=[name=b]",
    ]


@pytest.mark.parametrize(
    "settings",
    [
        pytest.param(lambda: Settings(), id="PLAINTEXT"),
        pytest.param(lambda: Settings(kafka_security_protocol="SSL"), id="SSL"),
        pytest.param(lambda: sasl_settings("PLAIN"), id="SASL_SSL-PLAIN"),
    ],
)
def test_no_scram_credential_without_scram(settings: Callable[[], Settings]) -> None:
    assert kafka.scram_credentials(settings()) == []


@pytest.mark.parametrize(("mechanism", "size"), [("SCRAM-SHA-256", 32), ("SCRAM-SHA-512", 64)])
def test_scram_credentials_hold_the_user_salted_never_the_password(
    mechanism: SaslMechanism, size: int
) -> None:
    settings = sasl_settings(mechanism)

    [first] = kafka.scram_credentials(settings)
    [second] = kafka.scram_credentials(settings)

    assert "s3cret" not in first
    fields = dict(
        field.split("=", 1)
        for field in first.removeprefix(f"{mechanism}=[").removesuffix("]").split(",")
    )
    assert fields.keys() == {"name", "salt", "saltedpassword", "iterations"}
    assert fields["name"] == "alice"
    assert fields["iterations"] == "4096"
    assert len(base64.b64decode(fields["salt"])) == 32
    assert len(base64.b64decode(fields["saltedpassword"])) == size
    # A fresh salt at every format.
    assert first != second


def test_the_scram_fingerprint_names_the_account_without_its_password() -> None:
    settings = sasl_settings()
    other_password = settings.model_copy(update={"kafka_sasl_password": SecretStr("other")})

    fingerprint = kafka.scram_fingerprint(settings)

    assert fingerprint is not None
    assert "s3cret" not in fingerprint
    assert fingerprint == kafka.scram_fingerprint(sasl_settings())
    assert fingerprint != kafka.scram_fingerprint(other_password)
    assert kafka.scram_fingerprint(sasl_settings("PLAIN")) is None
    assert kafka.scram_fingerprint(Settings()) is None


def test_a_storage_formatted_for_another_account_is_refused_with_what_to_do(
    tmp_path: Path,
) -> None:
    settings = sasl_settings().model_copy(update={"state_dir": tmp_path})
    layout = StateLayout(tmp_path)
    # Formatted before, by a stack without SASL: no account beside the config.
    layout.data(kafka.NAME).mkdir(parents=True)
    (layout.data(kafka.NAME) / "meta.properties").write_text("cluster.id=x\n")
    unused = cast(Artifacts, None)  # no format runs: the storage is there

    with pytest.raises(StackError, match=r"formatted without this SASL user.*orderflow down"):
        kafka.prepare(settings, layout, unused, "java")

    # Formatted for this very account: it starts.
    fingerprint = kafka.scram_fingerprint(settings)
    assert fingerprint is not None
    layout.config(kafka.scram_account_name(1)).write_text(f"fingerprint={fingerprint}\n")
    kafka.prepare(settings, layout, unused, "java")
