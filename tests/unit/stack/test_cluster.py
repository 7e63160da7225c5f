"""`--brokers` and `--connect-workers`: a Kafka cluster and a Connect group, in memory."""

from __future__ import annotations

from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

import pytest

from orderflow.settings import Settings
from orderflow.stack import connect, kafka
from orderflow.stack.artifacts import Artifacts
from orderflow.stack.cli import asked_scale
from orderflow.stack.cluster import CLUSTER_FILE, Cluster, cluster_formatted, with_local_cluster
from orderflow.stack.components import component_named, everything, stack
from orderflow.stack.errors import StackError
from orderflow.stack.launcher import Launcher
from orderflow.stack.layout import StateLayout
from orderflow.stack.scale import PORT_STEP, cluster_of, write_scale

CLUSTER = Settings(kafka_brokers=3)
JARS = Artifacts(Path("/jars/kafka"), Path("/jars/plugins"), Path("/jars/agent.jar"))


@pytest.mark.parametrize(
    ("brokers", "expected"), [(1, (1, 1)), (2, (2, 1)), (3, (3, 2)), (5, (3, 2))]
)
def test_three_replicas_and_two_in_sync_once_there_are_three_brokers(
    brokers: int, expected: tuple[int, int]
) -> None:
    assert kafka.replication(brokers) == expected


def test_each_node_of_a_cluster_is_a_voter_on_ports_of_its_own() -> None:
    properties = kafka.server_properties(CLUSTER, Path("/state/data/kafka-2"), node=2)

    assert properties["node.id"] == "2"
    assert properties["controller.quorum.voters"] == (
        "1@127.0.0.1:9093,2@127.0.0.1:9193,3@127.0.0.1:9293"
    )
    assert properties["listeners"] == "PLAINTEXT://127.0.0.1:9192,CONTROLLER://127.0.0.1:9193"
    assert properties["advertised.listeners"] == "PLAINTEXT://127.0.0.1:9192"
    assert properties["log.dirs"] == "/state/data/kafka-2"


def test_a_cluster_replicates_every_topic_the_internal_ones_too() -> None:
    properties = kafka.server_properties(CLUSTER, Path("/data"), node=1)

    for key in (
        "default.replication.factor",
        "offsets.topic.replication.factor",
        "transaction.state.log.replication.factor",
        "share.coordinator.state.topic.replication.factor",
    ):
        assert properties[key] == "3", key
    assert properties["min.insync.replicas"] == "2"
    assert properties["transaction.state.log.min.isr"] == "2"
    # A dead broker leaves the in-sync replicas, and is fenced, within 4 s.
    assert properties["replica.lag.time.max.ms"] == "4000"
    assert properties["broker.session.timeout.ms"] == "4000"


def test_one_node_is_its_own_quorum_with_one_replica() -> None:
    properties = kafka.server_properties(Settings(), Path("/data"))

    assert properties["controller.quorum.voters"] == "1@127.0.0.1:9093"
    assert properties["default.replication.factor"] == "1"
    assert properties["min.insync.replicas"] == "1"
    # Nobody to fail over to: Kafka's own timing.
    assert "broker.session.timeout.ms" not in properties


def test_the_bootstrap_list_names_every_broker_of_the_local_cluster() -> None:
    assert CLUSTER.kafka_bootstrap == "127.0.0.1:9092,127.0.0.1:9192,127.0.0.1:9292"
    assert Settings().kafka_bootstrap == "127.0.0.1:9092"
    named = Settings(kafka_brokers=3, kafka_bootstrap_servers="a:9092,b:9092")
    assert named.kafka_bootstrap == "a:9092,b:9092"


def test_the_workers_share_a_group_each_on_its_own_port() -> None:
    first = connect.worker_properties(CLUSTER, JARS, 1)
    second = connect.worker_properties(CLUSTER, JARS, 2)

    assert first["group.id"] == second["group.id"]
    assert second["listeners"] == "http://127.0.0.1:8183"
    assert second["rest.advertised.port"] == "8183"
    assert second["bootstrap.servers"] == CLUSTER.kafka_bootstrap
    # The internal topics take the brokers' replication: three on a cluster.
    assert second["config.storage.replication.factor"] == "-1"
    assert connect.worker_url(CLUSTER, 2) == "http://127.0.0.1:8183"


def test_the_stack_runs_its_brokers_then_its_workers_each_a_target_of_one_job() -> None:
    parts = stack({"kafka": 3, "connect": 2})
    names = [part.name for part in parts]

    assert names == ["postgres", "kafka", "kafka-2", "kafka-3", "connect", "connect-2",
                     "registry", "prometheus"]  # fmt: skip
    third = component_named("kafka-3", {"kafka": 3})
    assert third.job == "kafka"
    assert third.port(CLUSTER) == CLUSTER.kafka_port + 2 * PORT_STEP
    assert third.metrics(CLUSTER) == "http://127.0.0.1:9604/metrics"
    assert component_named("connect-2", {"connect": 2}).job == "connect"


def test_every_default_port_of_the_largest_system_is_its_own() -> None:
    settings = Settings(kafka_brokers=5)
    scale = {"kafka": 5, "connect": 3, "order": 9, "inventory": 9, "shipping": 9, "payment": 9}
    ports: list[int] = [kafka.controller_port(settings, node) for node in range(1, 6)]
    for part in everything(scale):
        port = part.port(settings)
        metrics = part.metrics(settings)
        # The JVMs serve their metrics from an agent on a port of its own.
        agent = urlsplit(metrics).port if metrics else None
        ports += [found for found in {port, agent} if found is not None]

    assert len(set(ports)) == len(ports)


def test_no_data_is_no_cluster_yet(tmp_path: Path) -> None:
    assert cluster_formatted(StateLayout(tmp_path)) is None


def test_data_from_before_clusters_is_one_node_s(tmp_path: Path) -> None:
    layout = StateLayout(tmp_path)
    layout.data("kafka").mkdir(parents=True)
    (layout.data("kafka") / "meta.properties").write_text("#x\nnode.id=1\ncluster.id=abc-Q\n")

    assert cluster_formatted(layout) == Cluster("abc-Q", 1)


def test_a_cluster_of_another_size_is_refused_naming_both(tmp_path: Path) -> None:
    layout = StateLayout(tmp_path)
    layout.config(CLUSTER_FILE).parent.mkdir(parents=True)
    layout.config(CLUSTER_FILE).write_text("cluster.id=abc\nbrokers=1\n")
    settings = CLUSTER.model_copy(update={"state_dir": tmp_path})

    with pytest.raises(StackError, match=r"cluster of 1 broker, not 3.*orderflow down"):
        kafka.prepare(settings, layout, cast(Artifacts, None), "java", node=2)


def test_the_launcher_runs_as_many_brokers_as_its_data_has(tmp_path: Path) -> None:
    launcher = Launcher(Settings(state_dir=tmp_path))
    assert launcher.settings.kafka_brokers == 1
    layout = launcher.layout
    layout.config(CLUSTER_FILE).parent.mkdir(parents=True)
    layout.config(CLUSTER_FILE).write_text("cluster.id=abc\nbrokers=3\n")

    assert launcher.scale == {"kafka": 3}
    assert launcher.settings.kafka_brokers == 3
    assert [c.name for c in launcher.components(with_services=False)][1:4] == [
        "kafka", "kafka-2", "kafka-3",
    ]  # fmt: skip


def test_the_kept_scale_names_the_connect_workers(tmp_path: Path) -> None:
    launcher = Launcher(Settings(state_dir=tmp_path))
    write_scale(launcher.layout.scale(), {"connect": 2, "inventory": 2})

    assert cluster_of(launcher.scale) == {"connect": 2}
    assert "connect-2" in [c.name for c in launcher.components()]


def test_the_cluster_options_join_the_services_scale() -> None:
    assert asked_scale(None) is None
    assert asked_scale(None, brokers=3) == {"kafka": 3}
    assert asked_scale(["inventory=2"], 3, 2) == {"inventory": 2, "kafka": 3, "connect": 2}


def test_a_tool_names_every_broker_of_the_local_cluster(tmp_path: Path) -> None:
    layout = StateLayout(tmp_path)
    layout.config(CLUSTER_FILE).parent.mkdir(parents=True)
    layout.config(CLUSTER_FILE).write_text("cluster.id=abc\nbrokers=3\n")

    assert with_local_cluster(Settings(state_dir=tmp_path)).kafka_brokers == 3
    # Said outright, the settings win: brokers counted, or brokers elsewhere.
    assert with_local_cluster(Settings(state_dir=tmp_path, kafka_brokers=1)).kafka_brokers == 1
    elsewhere = Settings(state_dir=tmp_path, kafka_bootstrap_servers="k:9092")
    assert with_local_cluster(elsewhere).kafka_bootstrap == "k:9092"
