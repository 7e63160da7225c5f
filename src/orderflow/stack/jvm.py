"""The command line of a JVM component of the stack."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


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


def properties_text(values: dict[str, str]) -> str:
    return "".join(f"{key}={value}\n" for key, value in values.items())
