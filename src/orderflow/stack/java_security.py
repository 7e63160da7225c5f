"""The settings' Kafka security in Java's terms, for the broker and Connect.

The Python clients get theirs from ``orderflow.access`` (librdkafka's keys);
the JVMs read the same settings here: the Java client's keys, the JAAS line
that carries a SASL password, and a properties file that can hold both.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from orderflow.settings import SaslMechanism, Settings
from orderflow.stack.errors import StackError

LOGIN_MODULES: dict[SaslMechanism, str] = {
    "PLAIN": "org.apache.kafka.common.security.plain.PlainLoginModule",
    "SCRAM-SHA-256": "org.apache.kafka.common.security.scram.ScramLoginModule",
    "SCRAM-SHA-512": "org.apache.kafka.common.security.scram.ScramLoginModule",
}
# What Kafka's JAAS parser (a java.io.StreamTokenizer) reads as one word; an
# option name with anything else in it (a user "svc@shop") is quoted instead.
_JAAS_WORD = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*")


def jaas_quoted(value: str) -> str:
    """``value`` as a quoted JAAS string. The tokenizer takes backslash escapes in
    quotes and ends a string at a line break, so those are escaped too."""
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def jaas_config(
    mechanism: SaslMechanism,
    username: str,
    password: str,
    users: Mapping[str, str] | None = None,
) -> str:
    """A ``sasl.jaas.config`` value: log in as ``username``. ``users`` (PLAIN on the
    broker) are the accounts it accepts, as PlainLoginModule's ``user_<name>`` options."""
    options = {"username": username, "password": password}
    options.update({f"user_{name}": secret for name, secret in (users or {}).items()})
    text = " ".join(f"{_jaas_name(name)}={jaas_quoted(value)}" for name, value in options.items())
    return f"{LOGIN_MODULES[mechanism]} required {text};"


def _jaas_name(name: str) -> str:
    return name if _JAAS_WORD.fullmatch(name) else jaas_quoted(name)


def sasl_user(settings: Settings) -> tuple[str, str]:
    """The settings' SASL username and password."""
    username, password = settings.kafka_sasl_username, settings.kafka_sasl_password
    # The settings' validator asks for both with SASL_SSL; this is for a caller
    # that asks without it.
    if not username or password is None:
        raise StackError("kafka", "SASL needs ORDERFLOW_KAFKA_SASL_USERNAME and _PASSWORD")
    return username, password.get_secret_value()


def settings_jaas_config(settings: Settings) -> str:
    """The JAAS line that logs in as the settings' SASL user."""
    return jaas_config(settings.kafka_sasl_mechanism, *sasl_user(settings))


def java_security(settings: Settings) -> dict[str, str]:
    """The Java client's security keys for these settings (empty for PLAINTEXT, its
    default): what Connect's worker and the clients it makes need."""
    if settings.kafka_security_protocol == "PLAINTEXT":
        return {}
    found: dict[str, str] = {"security.protocol": settings.kafka_security_protocol}
    if settings.kafka_ca_file is not None:
        # A PEM truststore is a file of certificates and takes no password.
        found["ssl.truststore.type"] = "PEM"
        found["ssl.truststore.location"] = str(settings.kafka_ca_file)
    if settings.kafka_security_protocol == "SASL_SSL":
        found["sasl.mechanism"] = settings.kafka_sasl_mechanism
        found["sasl.jaas.config"] = settings_jaas_config(settings)
    return found


def escaped_property(text: str, *, key: bool = False) -> str:
    """``text`` as java.util.Properties.load reads it back: backslashes and line breaks
    escaped, a leading space kept, and every character outside printable ASCII as
    ``\\uXXXX`` (load reads a file as ISO-8859-1, so UTF-8 would come back mangled)."""
    out: list[str] = []
    for index, char in enumerate(text):
        if char == "\\":
            out.append("\\\\")
        elif char in "\n\r\t\f":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t", "\f": "\\f"}[char])
        elif char == " " and (key or index == 0):
            out.append("\\ ")
        elif key and char in "=:#!":
            out.append("\\" + char)
        elif " " <= char <= "~":
            out.append(char)
        else:
            out.extend(f"\\u{unit:04x}" for unit in _utf16_units(char))
    return "".join(out)


def _utf16_units(char: str) -> list[int]:
    encoded = char.encode("utf-16-be")
    return [int.from_bytes(encoded[i : i + 2], "big") for i in range(0, len(encoded), 2)]


def private_properties_text(values: Mapping[str, str]) -> str:
    return "".join(
        f"{escaped_property(key, key=True)}={escaped_property(value)}\n"
        for key, value in values.items()
    )


def write_private_properties(path: Path, values: Mapping[str, str]) -> None:
    """Write ``values`` as a Java properties file only its owner can read: the config
    may hold a password (a JAAS line)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as stream:
        # The mode above is for a new file; one written before this may be open to others.
        os.fchmod(stream.fileno(), 0o600)
        stream.write(private_properties_text(values))
