"""Kafka Connect in distributed mode (one worker), with Debezium on its plugin path."""

from __future__ import annotations

from orderflow.settings import Settings, reachable
from orderflow.stack.artifacts import Artifacts
from orderflow.stack.java_security import java_security, write_private_properties
from orderflow.stack.jvm import jmx_agent_option, kafka_class_command, packaged_file
from orderflow.stack.layout import StateLayout
from orderflow.stack.probes import answers_ok

NAME = "connect"
CONFIG = "connect.properties"
# Which MBeans the JMX exporter serves: Connect's and the Debezium connector's.
METRICS_CONFIG = "connect-metrics.yaml"
# The clients a worker makes besides its own: the connectors' producers and
# consumers, and the admin client that creates their topics. Each reads only
# its prefixed keys, none of the worker's.
CLIENT_PREFIXES = ("producer.", "consumer.", "admin.")


def worker_properties(settings: Settings, artifacts: Artifacts) -> dict[str, str]:
    security = java_security(settings)
    return {
        "bootstrap.servers": settings.kafka_bootstrap,
        "group.id": "orderflow-connect",
        "config.storage.topic": "_connect-configs",
        "offset.storage.topic": "_connect-offsets",
        "status.storage.topic": "_connect-status",
        "config.storage.replication.factor": "1",
        "offset.storage.replication.factor": "1",
        "status.storage.replication.factor": "1",
        "key.converter": "org.apache.kafka.connect.json.JsonConverter",
        "value.converter": "org.apache.kafka.connect.json.JsonConverter",
        "key.converter.schemas.enable": "false",
        "value.converter.schemas.enable": "false",
        # Debezium is at-least-once: after a crash it replays from the last
        # flushed offset. Flushing often keeps that replay short.
        "offset.flush.interval.ms": "1000",
        # A worker that misses its group's session (frozen 10 s or more, or its
        # broker frozen) rejoins with nothing assigned; by default Connect holds
        # the lost connector and task back for five minutes in case another
        # worker takes them. Our group has one worker: nobody else will.
        "scheduled.rebalance.max.delay.ms": "0",
        "listeners": f"http://{settings.host}:{settings.connect_port}",
        # Where other workers (and redirected requests) reach this one: never a
        # wildcard such as 0.0.0.0.
        "rest.advertised.host.name": settings.connect_host or reachable(settings.host),
        "rest.advertised.port": str(settings.connect_port),
        "plugin.path": str(artifacts.plugin_path),
        # Find plugins through their ServiceLoader manifests instead of scanning
        # every class of every jar: start-up drops by seconds.
        "plugin.discovery": "service_load",
        **security,
        **{prefix + key: value for prefix in CLIENT_PREFIXES for key, value in security.items()},
    }


def prepare(settings: Settings, layout: StateLayout, artifacts: Artifacts) -> None:
    # Private: with SASL the file holds the password, in every client's JAAS line.
    write_private_properties(layout.config(CONFIG), worker_properties(settings, artifacts))


def command(settings: Settings, layout: StateLayout, artifacts: Artifacts, java: str) -> list[str]:
    main_class = "org.apache.kafka.connect.cli.ConnectDistributed"
    agent = jmx_agent_option(
        artifacts, settings.host, settings.connect_metrics_port, packaged_file(METRICS_CONFIG)
    )
    return kafka_class_command(
        java, settings.connect_heap, artifacts, main_class, layout.config(CONFIG), [agent]
    )


def healthy(settings: Settings) -> bool:
    return answers_ok(f"{settings.connect_url}/connectors")
