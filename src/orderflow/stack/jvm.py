"""The command line of a JVM component of the stack."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from orderflow.stack.artifacts import Artifacts


def log4j_config() -> Path:
    return Path(str(resources.files("orderflow.stack") / "log4j2.properties"))


def jvm_command(java: str, heap: str, classpath: str, main_class: str, *args: str) -> list[str]:
    return [
        java,
        f"-Xms{heap}",
        f"-Xmx{heap}",
        "-XX:+UseG1GC",
        "-XX:MaxGCPauseMillis=20",
        "-Djava.awt.headless=true",
        f"-Dlog4j2.configurationFile={log4j_config()}",
        "-cp",
        classpath,
        main_class,
        *args,
    ]


def properties_text(values: Mapping[str, str]) -> str:
    return "".join(f"{key}={value}\n" for key, value in values.items())


def write_properties(path: Path, values: Mapping[str, str]) -> None:
    """Write ``values`` as a Java properties file at ``path``, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(properties_text(values))


def kafka_class_command(
    java: str, heap: str, artifacts: Artifacts, main_class: str, config: Path
) -> list[str]:
    """A main class of the Kafka distribution run on one properties file (broker, Connect)."""
    return jvm_command(java, heap, artifacts.kafka_classpath, main_class, str(config))
