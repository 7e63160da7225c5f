"""The launcher's pure parts: config files, command lines, version parsing, ports."""

from __future__ import annotations

import base64
import socket
from pathlib import Path

import pytest

from orderflow.settings import Settings
from orderflow.stack import connect, kafka, postgres
from orderflow.stack.artifacts import Artifacts
from orderflow.stack.connector import ConnectorState, outbox_connector
from orderflow.stack.java import java_major_version
from orderflow.stack.jvm import jvm_command, properties_text
from orderflow.stack.layout import StateLayout
from orderflow.stack.ports import free_ports, port_in_use

SETTINGS = Settings(
    state_dir=Path("/state"), kafka_port=1111, kafka_controller_port=2222, connect_port=8083
)


@pytest.mark.parametrize(
    ("output", "major"),
    [
        ('openjdk version "17.0.15" 2025-04-15', 17),
        ('openjdk version "21" 2023-09-19', 21),
        ('java version "1.8.0_392"', 8),
        ("something else", None),
    ],
)
def test_java_major_version(output: str, major: int | None) -> None:
    assert java_major_version(output) == major


def test_kafka_listens_on_the_configured_ports_only() -> None:
    properties = kafka.server_properties(SETTINGS, Path("/state/data/kafka"))
    assert properties["listeners"] == ("PLAINTEXT://127.0.0.1:1111,CONTROLLER://127.0.0.1:2222")
    assert properties["controller.quorum.voters"] == "1@127.0.0.1:2222"
    assert properties["log.dirs"] == "/state/data/kafka"


def test_cluster_id_is_a_base64url_uuid() -> None:
    cluster_id = kafka.cluster_id()
    assert len(cluster_id) == 22
    assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16


def test_a_cluster_id_that_starts_with_a_dash_stays_the_option_s_value() -> None:
    # One id in 64 does (base64url); given apart, the tool read it as an option.
    arguments = kafka.format_arguments("-AbCdEfGhIjKlMnOpQrStUv", Path("/state/kafka.properties"))

    assert "--cluster-id=-AbCdEfGhIjKlMnOpQrStUv" in arguments
    assert not any(a.startswith("-A") for a in arguments)


def test_connect_finds_debezium_on_its_plugin_path() -> None:
    jars = Artifacts(
        kafka_jars=Path("/c/kafka"), plugin_path=Path("/c/plugins"), jmx_agent=Path("/c/agent.jar")
    )
    properties = connect.worker_properties(SETTINGS, jars)
    assert properties["plugin.path"] == "/c/plugins"
    assert properties["listeners"] == "http://127.0.0.1:8083"


def test_jvm_command_sets_heap_and_main_class() -> None:
    command = jvm_command("java", "512m", "/jars/*", "kafka.Kafka", "/c/kafka.properties")
    assert command[0] == "java"
    assert "-Xmx512m" in command
    assert command[-2:] == ["kafka.Kafka", "/c/kafka.properties"]
    assert command[command.index("-cp") + 1] == "/jars/*"


def test_properties_text() -> None:
    assert properties_text({"a.b": "1", "c": "x y"}) == "a.b=1\nc=x y\n"


def test_postgres_has_logical_decoding_and_no_socket_file() -> None:
    command = postgres.command(SETTINGS, StateLayout(Path("/state")))
    assert "--wal_level=logical" in command
    assert "--unix_socket_directories=" in command
    assert f"--port={SETTINGS.postgres_port}" in command
    # A silent replication client lets go of the outbox slot within 15 s.
    assert "--wal_sender_timeout=15s" in command


def test_outbox_connector_points_at_our_postgres() -> None:
    settings = Settings(postgres_port=4321, postgres_db="shop")
    name, config = outbox_connector(settings)
    assert name == "orderflow-outbox"
    assert config["database.port"] == "4321"
    assert config["database.dbname"] == "shop"
    assert config["plugin.name"] == "pgoutput"
    assert config["value.converter"] == "io.debezium.converters.BinaryDataConverter"
    assert config["transforms.outbox.route.by.field"] == "aggregate_type"


@pytest.mark.parametrize(
    ("connector", "tasks", "running"),
    [("RUNNING", ("RUNNING",), True), ("RUNNING", (), False), ("RUNNING", ("FAILED",), False)],
)
def test_connector_running_needs_every_task(
    connector: str, tasks: tuple[str, ...], running: bool
) -> None:
    assert ConnectorState("c", connector, tasks).running is running


def test_port_in_use_sees_a_listener() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        assert port_in_use("127.0.0.1", listener.getsockname()[1])
    [port] = free_ports(1)
    assert not port_in_use("127.0.0.1", port)


def test_free_ports_are_distinct() -> None:
    ports = free_ports(6)
    assert len(set(ports)) == 6


def test_connector_reaches_postgres_by_service_name_inside_compose() -> None:
    settings = Settings(postgres_port=15432, connector_database_host="postgres")
    _, config = outbox_connector(settings)
    assert (config["database.hostname"], config["database.port"]) == ("postgres", "5432")
