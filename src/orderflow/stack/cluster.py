"""Which Kafka cluster the state folder's data belongs to: its id and how many brokers.

Written at the first format (stack/kafka.py) and read by whatever needs the
cluster's size before anything runs: the launcher (how many brokers to start)
and the CLI (a tool's bootstrap list names every broker). Light on purpose: the
CLI reads it for every command.
"""

from __future__ import annotations

from dataclasses import dataclass

from orderflow.settings import Settings
from orderflow.stack.jvm import read_plain_properties
from orderflow.stack.layout import StateLayout

# Beside the brokers' configs.
CLUSTER_FILE = "kafka-cluster.properties"
# The first broker's data folder: where data from before clusters were kept track of is.
FIRST_BROKER = "kafka"


@dataclass(frozen=True)
class Cluster:
    id: str
    brokers: int


def cluster_formatted(layout: StateLayout) -> Cluster | None:
    """The id and size of the cluster the state folder's Kafka data belongs to; None
    before the first format. Data from before clusters were kept track of is one node's."""
    found = read_plain_properties(layout.config(CLUSTER_FILE))
    if "cluster.id" in found and found.get("brokers", "").isdigit():
        return Cluster(found["cluster.id"], int(found["brokers"]))
    first = read_plain_properties(layout.data(FIRST_BROKER) / "meta.properties")
    if "cluster.id" in first:
        return Cluster(first["cluster.id"], 1)
    return None


def with_local_cluster(settings: Settings) -> Settings:
    """``settings`` with as many brokers as the local stack's data has, unless they say
    how many (ORDERFLOW_KAFKA_BROKERS) or name brokers elsewhere."""
    if "kafka_brokers" in settings.model_fields_set or settings.kafka_bootstrap_servers:
        return settings
    cluster = cluster_formatted(StateLayout(settings.state_dir))
    if cluster is None or cluster.brokers == settings.kafka_brokers:
        return settings
    return settings.model_copy(update={"kafka_brokers": cluster.brokers})
