"""Kafka's own command-line tools on the jars the local stack runs, pointed at its broker.

``python -m orderflow.tools.kafka_tool kafka-topics --list`` is what
``bin/kafka-topics --list`` runs: it finds Java and the cached jars from the
one Settings, adds ``--bootstrap-server`` for the settings' brokers unless
given, and their TLS and SASL as the tool's client config file, and replaces
itself with the JVM, so signals and the exit code are Kafka's.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from orderflow.settings import Settings, SettingsError, load_settings
from orderflow.stack import artifacts
from orderflow.stack.errors import StackError
from orderflow.stack.java import find_java
from orderflow.stack.java_security import java_security, write_private_properties
from orderflow.stack.layout import StateLayout

# Kafka 4 moved these from kafka.admin / kafka.tools (Scala) to kafka-tools (Java).
TOOLS = {
    "kafka-topics": "org.apache.kafka.tools.TopicCommand",
    "kafka-console-producer": "org.apache.kafka.tools.ConsoleProducer",
    "kafka-console-consumer": "org.apache.kafka.tools.consumer.ConsoleConsumer",
}
BOOTSTRAP = "--bootstrap-server"
# Where each tool reads a client's properties from: security.protocol, sasl.*, ssl.*.
CLIENT_CONFIG = {
    "kafka-topics": "--command-config",
    "kafka-console-producer": "--producer.config",
    "kafka-console-consumer": "--consumer.config",
}
# In the state folder, beside the stack's own configs; only its owner reads it.
CLIENT_CONFIG_FILE = "kafka-tools-client.properties"


def with_option(args: Sequence[str], option: str, value: str) -> list[str]:
    """The arguments, with ``option value`` first unless the option is given."""
    if any(arg == option or arg.startswith(f"{option}=") for arg in args):
        return list(args)
    return [option, value, *args]


def with_bootstrap(args: Sequence[str], bootstrap: str) -> list[str]:
    return with_option(args, BOOTSTRAP, bootstrap)


def client_config(settings: Settings) -> Path | None:
    """The settings' TLS and SASL as a Java client's properties file; None for PLAINTEXT."""
    security = java_security(settings)
    if not security:
        return None
    path = StateLayout(settings.state_dir).config(CLIENT_CONFIG_FILE)
    write_private_properties(path, security)
    return path


def log4j_config() -> Path:
    return Path(str(resources.files("orderflow.tools") / "tools-log4j2.properties"))


def java_command(java: str, classpath: str, main_class: str, args: Sequence[str]) -> list[str]:
    return [
        java,
        # A short-lived client: a small heap, and the JIT's first tier starts fastest.
        "-Xmx256m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Djava.awt.headless=true",
        f"-Dlog4j2.configurationFile={log4j_config()}",
        "-cp",
        classpath,
        main_class,
        *args,
    ]


def main(argv: Sequence[str]) -> None:
    if not argv or argv[0] not in TOOLS:
        sys.exit(f"usage: python -m orderflow.tools.kafka_tool {{{'|'.join(TOOLS)}}} [args]")
    tool, args = argv[0], argv[1:]
    try:
        settings = load_settings()
        java = find_java(settings.java)
        jars = artifacts.resolve(settings.cache_dir)
    except (SettingsError, StackError) as error:
        sys.exit(f"error: {error}")
    args = with_bootstrap(args, settings.kafka_bootstrap)
    secured = client_config(settings)
    if secured is not None:
        args = with_option(args, CLIENT_CONFIG[tool], str(secured))
    os.execv(java, java_command(java, jars.kafka_classpath, TOOLS[tool], args))


if __name__ == "__main__":
    main(sys.argv[1:])
