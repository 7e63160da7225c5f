"""The command line of a JVM component of the stack."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path

from orderflow.stack.artifacts import Artifacts


def packaged_file(name: str) -> Path:
    """A config file shipped in this package, by the path a JVM can open."""
    return Path(str(resources.files("orderflow.stack") / name))


def log4j_config() -> Path:
    return packaged_file("log4j2.properties")


def jmx_agent_option(artifacts: Artifacts, host: str, port: int, config: Path) -> str:
    """The option that has the JVM serve the MBeans ``config`` selects as Prometheus
    metrics on ``host:port``.

    The agent ends the whole JVM if it cannot bind its port: a port taken by
    another process stops the broker or Connect at start-up, with the agent's
    reason in the component's log.
    """
    # The agent reads "host:port:file"; an IPv6 address needs brackets to be told apart.
    bound = f"[{host}]" if ":" in host else host
    return f"-javaagent:{artifacts.jmx_agent}={bound}:{port}:{config}"


def jvm_command(
    java: str,
    heap: str,
    classpath: str,
    main_class: str,
    *args: str,
    options: Sequence[str] = (),
) -> list[str]:
    return [
        java,
        f"-Xms{heap}",
        f"-Xmx{heap}",
        "-XX:+UseG1GC",
        "-XX:MaxGCPauseMillis=20",
        "-Djava.awt.headless=true",
        f"-Dlog4j2.configurationFile={log4j_config()}",
        *options,
        "-cp",
        classpath,
        main_class,
        *args,
    ]


def properties_text(values: Mapping[str, str]) -> str:
    return "".join(f"{key}={value}\n" for key, value in values.items())


def read_plain_properties(path: Path) -> dict[str, str]:
    """A properties file of plain ``key=value`` lines, as we and Kafka write ids, counts
    and digests (no escapes, no continued lines); empty if it cannot be read."""
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return {}
    pairs = (line.partition("=") for line in lines if line and not line.startswith("#"))
    return {key.strip(): value.strip() for key, equals, value in pairs if equals}


def write_properties(path: Path, values: Mapping[str, str]) -> None:
    """Write ``values`` as a Java properties file at ``path``, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(properties_text(values))


def kafka_class_command(
    java: str,
    heap: str,
    artifacts: Artifacts,
    main_class: str,
    config: Path,
    options: Sequence[str] = (),
) -> list[str]:
    """A main class of the Kafka distribution run on one properties file (broker, Connect)."""
    return jvm_command(
        java, heap, artifacts.kafka_classpath, main_class, str(config), options=options
    )
