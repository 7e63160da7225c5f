"""Apache Kafka, one node in KRaft mode (broker and controller in one process)."""

from __future__ import annotations

import base64
import subprocess
import uuid
from pathlib import Path

from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient

from orderflow.settings import Settings
from orderflow.stack.artifacts import Artifacts
from orderflow.stack.errors import StackError
from orderflow.stack.jvm import (
    jmx_agent_option,
    jvm_command,
    kafka_class_command,
    packaged_file,
    write_properties,
)
from orderflow.stack.layout import StateLayout

NAME = "kafka"
CONFIG = "kafka.properties"
# Which MBeans the JMX exporter serves, and under which metric names.
METRICS_CONFIG = "kafka-metrics.yaml"


def server_properties(settings: Settings, log_dirs: Path) -> dict[str, str]:
    host = settings.host
    return {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.voters": f"1@{host}:{settings.kafka_controller_port}",
        "listeners": (
            f"PLAINTEXT://{host}:{settings.kafka_port},"
            f"CONTROLLER://{host}:{settings.kafka_controller_port}"
        ),
        "advertised.listeners": f"PLAINTEXT://{host}:{settings.kafka_port}",
        "controller.listener.names": "CONTROLLER",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name": "PLAINTEXT",
        "log.dirs": str(log_dirs),
        # One node: every internal topic can have one replica only.
        "offsets.topic.replication.factor": "1",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "num.partitions": "1",
        "auto.create.topics.enable": "true",
        # Nobody else is going to join the group; don't wait for them.
        "group.initial.rebalance.delay.ms": "0",
    }


def cluster_id() -> str:
    """A cluster id as Kafka writes them: a random UUID, base64url without padding."""
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")


def format_arguments(cluster: str, config: Path) -> list[str]:
    """The storage tool's arguments. The id is glued to its option: one that starts
    with "-" (one id in 64, base64url) would read as an option of its own, and the
    format fail with "argument --cluster-id/-t: expected one argument"."""
    return ["format", f"--cluster-id={cluster}", "-c", str(config)]


def prepare(settings: Settings, layout: StateLayout, artifacts: Artifacts, java: str) -> None:
    """Write the config; format the storage on first start only, so data survives restarts."""
    log_dirs = layout.data(NAME)
    config = layout.config(CONFIG)
    write_properties(config, server_properties(settings, log_dirs))
    if (log_dirs / "meta.properties").exists():
        return
    log_dirs.mkdir(parents=True, exist_ok=True)
    format_storage = jvm_command(
        java, "256m", artifacts.kafka_classpath, "kafka.tools.StorageTool",
        *format_arguments(cluster_id(), config),
    )  # fmt: skip
    log = layout.log(NAME)
    log.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(format_storage, capture_output=True, text=True)
    with log.open("a") as log_stream:
        log_stream.write(done.stdout + done.stderr)
    if done.returncode != 0:
        # The reason in the error itself: a test's or chaos's state folder, and
        # the log with it, is gone by the time anyone reads the failure.
        said = (done.stderr or done.stdout).strip().splitlines()
        reason = said[-1] if said else f"exit code {done.returncode}"
        raise StackError(NAME, f"formatting the KRaft storage failed: {reason}", log)


def command(settings: Settings, layout: StateLayout, artifacts: Artifacts, java: str) -> list[str]:
    agent = jmx_agent_option(
        artifacts, settings.host, settings.kafka_metrics_port, packaged_file(METRICS_CONFIG)
    )
    return kafka_class_command(
        java, settings.kafka_heap, artifacts, "kafka.Kafka", layout.config(CONFIG), [agent]
    )


def healthy(settings: Settings) -> bool:
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap, "log_level": 0})
    try:
        metadata = admin.list_topics(timeout=1)
    except KafkaException:
        return False
    return bool(metadata.brokers)
