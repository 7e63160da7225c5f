"""The settings' Kafka security in Java's terms: JAAS lines, client keys, properties files."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from orderflow.settings import Settings
from orderflow.stack.errors import StackError
from orderflow.stack.java_security import (
    escaped_property,
    jaas_config,
    jaas_quoted,
    java_security,
    private_properties_text,
    sasl_user,
    write_private_properties,
)

PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule"
SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule"


pytestmark = pytest.mark.usefixtures("no_machine_settings")


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("secret", '"secret"'),
        ('say "hi"', r'"say \"hi\""'),
        ("back\\slash", r'"back\\slash"'),
        ("two\nlines\r", r'"two\nlines\r"'),
        ("", '""'),
    ],
)
def test_jaas_quoted_escapes_what_the_tokenizer_would_read_otherwise(
    value: str, quoted: str
) -> None:
    assert jaas_quoted(value) == quoted


def test_jaas_config_logs_in_with_the_mechanism_s_module() -> None:
    assert jaas_config("SCRAM-SHA-256", "alice", 'p"w') == (
        f'{SCRAM_MODULE} required username="alice" password="p\\"w";'
    )


def test_jaas_config_quotes_an_account_name_that_is_not_one_word() -> None:
    line = jaas_config("PLAIN", "svc@shop", "pw", users={"svc@shop": "pw", "bob": "b"})

    assert line == (
        f'{PLAIN_MODULE} required username="svc@shop" password="pw" '
        '"user_svc@shop"="pw" user_bob="b";'
    )


def test_sasl_user_without_credentials_names_the_variables() -> None:
    with pytest.raises(StackError, match="ORDERFLOW_KAFKA_SASL_USERNAME"):
        sasl_user(Settings(kafka_security_protocol="SSL"))


def test_plaintext_has_no_java_security_keys() -> None:
    assert java_security(Settings(kafka_security_protocol="PLAINTEXT")) == {}


def test_ssl_trusts_the_local_ca_unless_told_another(tmp_path: Path) -> None:
    local = java_security(Settings(state_dir=tmp_path, kafka_security_protocol="SSL"))
    told = java_security(
        Settings(
            state_dir=tmp_path, kafka_security_protocol="SSL", kafka_ssl_ca_file=Path("/etc/ca.pem")
        )
    )

    assert local == {
        "security.protocol": "SSL",
        "ssl.truststore.type": "PEM",
        "ssl.truststore.location": str(tmp_path / "tls" / "ca.pem"),
    }
    assert told["ssl.truststore.location"] == "/etc/ca.pem"


def test_sasl_ssl_adds_the_mechanism_and_the_login(tmp_path: Path) -> None:
    settings = Settings(
        state_dir=tmp_path,
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_mechanism="PLAIN",
        kafka_sasl_username="alice",
        kafka_sasl_password=SecretStr("s3cret"),
    )

    keys = java_security(settings)

    assert keys["security.protocol"] == "SASL_SSL"
    assert keys["ssl.truststore.location"] == str(tmp_path / "tls" / "ca.pem")
    assert keys["sasl.mechanism"] == "PLAIN"
    # The client logs in; it lists no accounts, which only the broker accepts.
    assert keys["sasl.jaas.config"] == (
        f'{PLAIN_MODULE} required username="alice" password="s3cret";'
    )


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain=text:here", "plain=text:here"),
        ("C:\\dir", "C:\\\\dir"),
        ("one\ntwo\r\tthree\f", "one\\ntwo\\r\\tthree\\f"),
        # Properties.load drops a value's leading white space, not the inner one.
        (" lead and inner", "\\ lead and inner"),
        ("café", "caf\\u00e9"),
        # Beyond the BMP: Java's two UTF-16 units, each escaped.
        ("ok 😀", "ok \\ud83d\\ude00"),
        ("\x7f", "\\u007f"),
    ],
)
def test_a_value_is_escaped_as_properties_load_reads_it_back(text: str, escaped: str) -> None:
    assert escaped_property(text) == escaped


def test_a_key_escapes_its_separators_and_every_space() -> None:
    assert escaped_property("a b=c:d#e!f", key=True) == "a\\ b\\=c\\:d\\#e\\!f"


def test_private_properties_text_is_ascii_key_equals_value_lines() -> None:
    text = private_properties_text({"sasl.jaas.config": 'x password="é"', "k": " v"})

    assert text == 'sasl.jaas.config=x password="\\u00e9"\nk=\\ v\n'
    assert text.isascii()


def test_write_private_properties_makes_a_new_file_its_owner_s_only(tmp_path: Path) -> None:
    path = tmp_path / "config" / "kafka.properties"

    write_private_properties(path, {"a": "1"})

    assert path.read_text() == "a=1\n"
    assert path.stat().st_mode & 0o777 == 0o600


def test_write_private_properties_closes_a_file_written_open_before(tmp_path: Path) -> None:
    path = tmp_path / "connect.properties"
    path.write_text("old=and longer than the new text\n")
    path.chmod(0o644)

    write_private_properties(path, {"a": "1"})

    assert path.read_text() == "a=1\n"
    assert path.stat().st_mode & 0o777 == 0o600
