"""Kafka and Connect run with Prometheus's JMX exporter as a Java agent."""

from __future__ import annotations

from pathlib import Path

from orderflow.settings import Settings
from orderflow.stack import connect, kafka
from orderflow.stack.artifacts import Artifacts
from orderflow.stack.jvm import jmx_agent_option, packaged_file
from orderflow.stack.layout import StateLayout

SETTINGS = Settings(state_dir=Path("/state"), kafka_metrics_port=19404, connect_metrics_port=19405)
JARS = Artifacts(
    kafka_jars=Path("/c/kafka"),
    plugin_path=Path("/c/plugins"),
    jmx_agent=Path("/c/jmx-agent/jmx_prometheus_javaagent.jar"),
)
LAYOUT = StateLayout(Path("/state"))


def agent_options(command: list[str]) -> list[str]:
    return [part for part in command if part.startswith("-javaagent:")]


def test_kafka_serves_its_metrics_on_its_metrics_port() -> None:
    command = kafka.command(SETTINGS, LAYOUT, JARS, "java")
    config = packaged_file(kafka.METRICS_CONFIG)
    expected = f"-javaagent:{JARS.jmx_agent}=127.0.0.1:19404:{config}"
    assert agent_options(command) == [expected]
    # A JVM option counts only before the main class.
    assert command.index(expected) < command.index("kafka.Kafka")


def test_connect_serves_its_metrics_on_its_metrics_port() -> None:
    command = connect.command(SETTINGS, LAYOUT, JARS, "java")
    config = packaged_file(connect.METRICS_CONFIG)
    expected = f"-javaagent:{JARS.jmx_agent}=127.0.0.1:19405:{config}"
    assert agent_options(command) == [expected]
    assert command.index(expected) < command.index("-cp")


def test_the_exporter_configs_are_shipped_with_the_package() -> None:
    assert packaged_file(kafka.METRICS_CONFIG).is_file()
    connect_config = packaged_file(connect.METRICS_CONFIG).read_text()
    assert '"debezium.postgres:type=connector-metrics,context=streaming,*"' in connect_config


def test_an_ipv6_host_is_bracketed_for_the_agent() -> None:
    option = jmx_agent_option(JARS, "::1", 9404, Path("/c/x.yaml"))
    assert option == f"-javaagent:{JARS.jmx_agent}=[::1]:9404:/c/x.yaml"
