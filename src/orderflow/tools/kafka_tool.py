"""Kafka's own command-line tools on the jars the local stack runs, pointed at its broker.

``python -m orderflow.tools.kafka_tool kafka-topics --list`` is what
``bin/kafka-topics --list`` runs: it finds Java and the cached jars from the
one Settings, adds ``--bootstrap-server`` for the local broker unless given,
and replaces itself with the JVM, so signals and the exit code are Kafka's.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from orderflow.settings import SettingsError, load_settings
from orderflow.stack import artifacts
from orderflow.stack.errors import StackError
from orderflow.stack.java import find_java

# Kafka 4 moved these from kafka.admin / kafka.tools (Scala) to kafka-tools (Java).
TOOLS = {
    "kafka-topics": "org.apache.kafka.tools.TopicCommand",
    "kafka-console-producer": "org.apache.kafka.tools.ConsoleProducer",
    "kafka-console-consumer": "org.apache.kafka.tools.consumer.ConsoleConsumer",
}
BOOTSTRAP = "--bootstrap-server"


def with_bootstrap(args: Sequence[str], bootstrap: str) -> list[str]:
    """The arguments, with ``--bootstrap-server <bootstrap>`` first unless one is given."""
    if any(arg == BOOTSTRAP or arg.startswith(f"{BOOTSTRAP}=") for arg in args):
        return list(args)
    return [BOOTSTRAP, bootstrap, *args]


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
    command = java_command(
        java, jars.kafka_classpath, TOOLS[tool], with_bootstrap(args, settings.kafka_bootstrap)
    )
    os.execv(java, command)


if __name__ == "__main__":
    main(sys.argv[1:])
