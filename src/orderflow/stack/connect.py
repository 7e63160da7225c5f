"""Kafka Connect in distributed mode, with Debezium on its plugin path: one worker, or a
few in one group, where the connector's task moves to a live worker when its own dies."""

from __future__ import annotations

from orderflow.settings import Settings
from orderflow.stack.artifacts import Artifacts
from orderflow.stack.java_security import java_security, write_private_properties
from orderflow.stack.jvm import jmx_agent_option, kafka_class_command, packaged_file
from orderflow.stack.layout import StateLayout
from orderflow.stack.probes import answers_ok
from orderflow.stack.scale import instance_name, instance_port

NAME = "connect"
# Which MBeans the JMX exporter serves: Connect's and the Debezium connector's.
METRICS_CONFIG = "connect-metrics.yaml"
# The clients a worker makes besides its own: the connectors' producers and
# consumers, and the admin client that creates their topics. Each reads only
# its prefixed keys, none of the worker's.
CLIENT_PREFIXES = ("producer.", "consumer.", "admin.")


def config_name(worker: int) -> str:
    return f"{instance_name(NAME, worker)}.properties"


def worker_port(settings: Settings, worker: int) -> int:
    return instance_port(settings.connect_port, worker)


def metrics_port(settings: Settings, worker: int) -> int:
    return instance_port(settings.connect_metrics_port, worker)


def worker_properties(settings: Settings, artifacts: Artifacts, worker: int = 1) -> dict[str, str]:
    security = java_security(settings)
    port = worker_port(settings, worker)
    return {
        "bootstrap.servers": settings.kafka_bootstrap,
        "group.id": "orderflow-connect",
        "config.storage.topic": "_connect-configs",
        "offset.storage.topic": "_connect-offsets",
        "status.storage.topic": "_connect-status",
        # -1: the brokers' default.replication.factor, three on a cluster (kafka.py).
        "config.storage.replication.factor": "-1",
        "offset.storage.replication.factor": "-1",
        "status.storage.replication.factor": "-1",
        "key.converter": "org.apache.kafka.connect.json.JsonConverter",
        "value.converter": "org.apache.kafka.connect.json.JsonConverter",
        "key.converter.schemas.enable": "false",
        "value.converter.schemas.enable": "false",
        # Debezium is at-least-once: after a crash it replays from the last
        # flushed offset. Flushing often keeps that replay short.
        "offset.flush.interval.ms": "1000",
        # A worker that misses its group's session (dead, frozen, or its broker
        # frozen) loses its connector and task; by default Connect holds them
        # back for five minutes in case it comes back. Not here: the other
        # workers take them at once, and a lone worker its own back when it rejoins.
        "scheduled.rebalance.max.delay.ms": "0",
        # How soon the group hears a worker died: its share moves after this (10 s
        # by default), heartbeats a third of it apart.
        "session.timeout.ms": "6000",
        "heartbeat.interval.ms": "2000",
        "listeners": f"http://{settings.host}:{port}",
        # Where other workers (and redirected requests) reach this one: never a
        # wildcard such as 0.0.0.0.
        "rest.advertised.host.name": settings.connect_advertised_host,
        "rest.advertised.port": str(port),
        "plugin.path": str(artifacts.plugin_path),
        # Find plugins through their ServiceLoader manifests instead of scanning
        # every class of every jar: start-up drops by seconds.
        "plugin.discovery": "service_load",
        **security,
        **{prefix + key: value for prefix in CLIENT_PREFIXES for key, value in security.items()},
    }


def prepare(settings: Settings, layout: StateLayout, artifacts: Artifacts, worker: int = 1) -> None:
    # Private: with SASL the file holds the password, in every client's JAAS line.
    properties = worker_properties(settings, artifacts, worker)
    write_private_properties(layout.config(config_name(worker)), properties)


def command(
    settings: Settings, layout: StateLayout, artifacts: Artifacts, java: str, worker: int = 1
) -> list[str]:
    main_class = "org.apache.kafka.connect.cli.ConnectDistributed"
    agent = jmx_agent_option(
        artifacts, settings.host, metrics_port(settings, worker), packaged_file(METRICS_CONFIG)
    )
    config = layout.config(config_name(worker))
    return kafka_class_command(java, settings.connect_heap, artifacts, main_class, config, [agent])


def worker_url(settings: Settings, worker: int) -> str:
    """The worker's own REST API (``connect_url`` is the first worker's)."""
    return f"http://{settings.connect_advertised_host}:{worker_port(settings, worker)}"


def healthy(settings: Settings, worker: int = 1) -> bool:
    """Whether the worker answers its REST API: it does once it has joined its group."""
    return answers_ok(f"{worker_url(settings, worker)}/connectors")
