"""Apache Kafka in KRaft mode: one node, or a cluster of a few (each node a broker and a
controller in one process)."""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import uuid
from collections.abc import Sequence
from pathlib import Path

from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient

from orderflow.access import QUIET, kafka_access
from orderflow.settings import SaslMechanism, Settings, reachable
from orderflow.stack import tls
from orderflow.stack.artifacts import Artifacts
from orderflow.stack.cluster import CLUSTER_FILE, Cluster, cluster_formatted
from orderflow.stack.errors import StackError
from orderflow.stack.java_security import (
    jaas_config,
    sasl_user,
    settings_jaas_config,
    write_private_properties,
)
from orderflow.stack.jvm import (
    jmx_agent_option,
    jvm_command,
    kafka_class_command,
    packaged_file,
    read_plain_properties,
)
from orderflow.stack.layout import StateLayout
from orderflow.stack.scale import instance_name, instance_port

NAME = "kafka"
# Which MBeans the JMX exporter serves, and under which metric names.
METRICS_CONFIG = "kafka-metrics.yaml"
# The hash of each SCRAM mechanism, as hashlib names it.
SCRAM_HASHES: dict[SaslMechanism, str] = {"SCRAM-SHA-256": "sha256", "SCRAM-SHA-512": "sha512"}
# Kafka's default, and the fewest it accepts (ScramMechanism.minIterations).
SCRAM_ITERATIONS = 4096


def config_name(node: int) -> str:
    return f"{instance_name(NAME, node)}.properties"


def scram_account_name(node: int) -> str:
    """Beside the config: which SCRAM account the node's storage was formatted with."""
    return f"{instance_name(NAME, node)}-scram-account.properties"


def broker_port(settings: Settings, node: int) -> int:
    return instance_port(settings.kafka_port, node)


def controller_port(settings: Settings, node: int) -> int:
    return instance_port(settings.kafka_controller_port, node)


def metrics_port(settings: Settings, node: int) -> int:
    return instance_port(settings.kafka_metrics_port, node)


def replication(brokers: int) -> tuple[int, int]:
    """Copies of each partition, and how many must hold a write before it is
    acknowledged: three and two on a cluster of three or more (one broker may die
    and every write still lands twice); on a smaller one, one per broker, and one."""
    factor = min(3, brokers)
    return factor, 2 if factor == 3 else 1


def server_properties(settings: Settings, log_dirs: Path, node: int = 1) -> dict[str, str]:
    host = settings.host
    protocol = settings.kafka_security_protocol
    brokers = settings.kafka_brokers
    factor, min_in_sync = replication(brokers)
    voters = ",".join(
        f"{voter}@{reachable(host)}:{controller_port(settings, voter)}"
        for voter in range(1, brokers + 1)
    )
    port = broker_port(settings, node)
    # The listener is named for its protocol: PLAINTEXT, SSL or SASL_SSL. The
    # controllers' stays PLAINTEXT: the quorum is processes of this machine.
    return {
        # Every node is a broker and a voter of the KRaft quorum: a cluster of
        # three goes on with any one of them dead.
        "process.roles": "broker,controller",
        "node.id": str(node),
        "controller.quorum.voters": voters,
        "listeners": (
            f"{protocol}://{host}:{port},"
            # The controller listens on this machine only: it is PLAINTEXT and
            # answers admin requests, so bound to 0.0.0.0 it would let anyone on
            # the network past the client listener's SASL.
            f"CONTROLLER://{reachable(host)}:{controller_port(settings, node)}"
        ),
        # Never host itself: bound to 0.0.0.0, Kafka would tell its clients to
        # connect to 0.0.0.0 (and refuses to start with such an address).
        "advertised.listeners": f"{protocol}://{settings.kafka_advertised_host}:{port}",
        "controller.listener.names": "CONTROLLER",
        "listener.security.protocol.map": f"{protocol}:{protocol},CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name": protocol,
        **listener_security(settings),
        "log.dirs": str(log_dirs),
        # Every topic, the internal ones too, as replicated as the cluster allows.
        "default.replication.factor": str(factor),
        "min.insync.replicas": str(min_in_sync),
        "offsets.topic.replication.factor": str(factor),
        "transaction.state.log.replication.factor": str(factor),
        "transaction.state.log.min.isr": str(min_in_sync),
        "share.coordinator.state.topic.replication.factor": str(factor),
        "share.coordinator.state.topic.min.isr": str(min_in_sync),
        **(failover() if brokers > 1 else {}),
        "num.partitions": "1",
        "auto.create.topics.enable": "true",
        # A group's first members start at once, without waiting for more to join.
        "group.initial.rebalance.delay.ms": "0",
    }


def failover() -> dict[str, str]:
    """How soon a cluster goes on without a dead broker. Measured on the local cluster
    under 50 orders/s (bench, one broker SIGKILLed): orders stopped completing for
    12.8 s with a 6 s session and the default replica lag, 4.4 s with these (14 s
    when the dead one was the active controller: a new one is elected first)."""
    return {
        # A broker that stops heartbeating is fenced after this, and its partitions
        # led elsewhere (9 s by default).
        "broker.heartbeat.interval.ms": "1000",
        "broker.session.timeout.ms": "4000",
        # A write is acknowledged once every in-sync replica has it: a dead follower
        # holds back every write of its partitions until it leaves the ISR, after
        # this long without fetching (30 s by default) or when it is fenced.
        "replica.lag.time.max.ms": "4000",
    }


def listener_security(settings: Settings) -> dict[str, str]:
    """The client listener's TLS and SASL keys (none for PLAINTEXT)."""
    if not settings.kafka_tls:
        return {}
    found = {
        # broker.pem holds an unencrypted PKCS#8 key: no ssl.key.password, which
        # would have Kafka decrypt it, and no ssl.keystore.password, which Kafka
        # refuses for a PEM store.
        "ssl.keystore.type": "PEM",
        "ssl.keystore.location": str(tls.broker_keystore(settings)),
        # For the broker's own connections to its listener: the CA that signed it.
        "ssl.truststore.type": "PEM",
        "ssl.truststore.location": str(tls.ca_certificate(settings)),
    }
    if settings.kafka_security_protocol == "SASL_SSL":
        mechanism = settings.kafka_sasl_mechanism
        found["sasl.enabled.mechanisms"] = mechanism
        found["sasl.mechanism.inter.broker.protocol"] = mechanism
        found[f"listener.name.sasl_ssl.{mechanism.lower()}.sasl.jaas.config"] = broker_jaas(
            settings
        )
    return found


def broker_jaas(settings: Settings) -> str:
    """The broker logs in to itself as the settings' user. With PLAIN the same line
    holds the accounts it accepts; a SCRAM user's credential is in the cluster's
    metadata instead (see ``scram_argument``)."""
    if settings.kafka_sasl_mechanism != "PLAIN":
        return settings_jaas_config(settings)
    username, password = sasl_user(settings)
    return jaas_config("PLAIN", username, password, users={username: password})


def salted_password(mechanism: SaslMechanism, password: str, salt: bytes, iterations: int) -> bytes:
    """SCRAM's SaltedPassword (RFC 5802): PBKDF2 over the mechanism's hash, one block."""
    digest = SCRAM_HASHES[mechanism]
    return hashlib.pbkdf2_hmac(digest, password.encode(), salt, iterations)


def scram_argument(
    mechanism: SaslMechanism,
    username: str,
    password: str,
    salt: bytes,
    iterations: int = SCRAM_ITERATIONS,
) -> str:
    """The storage tool's ``--add-scram`` value for this user.

    It carries the salted password rather than ``password=``: the tool splits its
    value at every comma, with no escape, so a password with a comma would be cut
    short (or fail the format), and the password itself stays off a command line
    that anybody on the machine can read in ``ps``.
    """
    if "," in username:
        raise StackError(
            NAME, f"kafka-storage cannot create a SCRAM user with a comma: {username!r}"
        )
    salted = salted_password(mechanism, password, salt, iterations)
    fields = {
        "name": username,
        "salt": base64.b64encode(salt).decode(),
        "saltedpassword": base64.b64encode(salted).decode(),
        "iterations": str(iterations),
    }
    return f"{mechanism}=[{','.join(f'{key}={value}' for key, value in fields.items())}]"


def cluster_id() -> str:
    """A cluster id as Kafka writes them: a random UUID, base64url without padding."""
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")


def format_arguments(cluster: str, config: Path, scram: Sequence[str] = ()) -> list[str]:
    """The storage tool's arguments. The id is glued to its option: one that starts
    with "-" (one id in 64, base64url) would read as an option of its own, and the
    format fail with "argument --cluster-id/-t: expected one argument". So is each
    SCRAM credential, for the same reason."""
    return [
        "format",
        f"--cluster-id={cluster}",
        "-c",
        str(config),
        *(f"--add-scram={credential}" for credential in scram),
    ]


def scram_credentials_wanted(settings: Settings) -> bool:
    return (
        settings.kafka_security_protocol == "SASL_SSL" and settings.kafka_sasl_mechanism != "PLAIN"
    )


def scram_credentials(settings: Settings) -> list[str]:
    """The ``--add-scram`` values the first format writes: the settings' user, with
    SASL_SSL over SCRAM; none otherwise (PLAIN's accounts are in the JAAS line)."""
    if not scram_credentials_wanted(settings):
        return []
    username, password = sasl_user(settings)
    return [scram_argument(settings.kafka_sasl_mechanism, username, password, os.urandom(32))]


def prepare(
    settings: Settings, layout: StateLayout, artifacts: Artifacts, java: str, node: int = 1
) -> None:
    """Write the node's config; format its storage on first start only, so data survives
    restarts. Every node of a cluster is formatted with the one cluster id."""
    tls.ensure_local_certificates(settings)
    name = instance_name(NAME, node)
    log_dirs = layout.data(name)
    config = layout.config(config_name(node))
    cluster = cluster_formatted(layout)
    if cluster is not None and cluster.brokers != settings.kafka_brokers:
        # Its topics, the internal ones too, have the replicas of the cluster they
        # were made on, and its quorum the voters: neither follows a new size.
        raise StackError(
            name,
            f"the Kafka data in {layout.data(NAME).parent} is a cluster of "
            f"{_brokers(cluster.brokers)}, not {settings.kafka_brokers}; to start afresh, "
            f"stop the stack (orderflow down) and remove {layout.data(NAME).parent}/kafka*",
        )
    # Private: with SASL the file holds the broker's password.
    write_private_properties(config, server_properties(settings, log_dirs, node))
    account = layout.config(scram_account_name(node))
    if (log_dirs / "meta.properties").exists():
        # The SCRAM credential is written at the first format only: other
        # credentials (or a stack first run without SASL) would have the broker
        # fail its own login and every client wait for it. Say so instead.
        wanted = scram_fingerprint(settings)
        if wanted is not None and read_plain_properties(account).get("fingerprint") != wanted:
            raise StackError(
                name,
                f"the storage in {log_dirs} was formatted without this SASL user or password, "
                "and Kafka takes a SCRAM user at the first format only; to start afresh, "
                f"stop the stack (orderflow down) and remove {log_dirs}",
            )
        return
    if cluster is None:
        cluster = Cluster(cluster_id(), settings.kafka_brokers)
        write_private_properties(
            layout.config(CLUSTER_FILE), {"cluster.id": cluster.id, "brokers": str(cluster.brokers)}
        )
    log_dirs.mkdir(parents=True, exist_ok=True)
    format_storage = jvm_command(
        java, "256m", artifacts.kafka_classpath, "kafka.tools.StorageTool",
        *format_arguments(cluster.id, config, scram_credentials(settings)),
    )  # fmt: skip
    log = layout.log(name)
    log.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(format_storage, capture_output=True, text=True)
    with log.open("a") as log_stream:
        log_stream.write(done.stdout + done.stderr)
    if done.returncode != 0:
        # The reason in the error itself: a test's or chaos's state folder, and
        # the log with it, is gone by the time anyone reads the failure.
        said = (done.stderr or done.stdout).strip().splitlines()
        reason = said[-1] if said else f"exit code {done.returncode}"
        raise StackError(name, f"formatting the KRaft storage failed: {reason}", log)
    fingerprint = scram_fingerprint(settings)
    if fingerprint is not None:
        write_private_properties(account, {"fingerprint": fingerprint})
    else:
        account.unlink(missing_ok=True)


def _brokers(count: int) -> str:
    return "1 broker" if count == 1 else f"{count} brokers"


def scram_fingerprint(settings: Settings) -> str | None:
    """What says which SCRAM user and password the storage was formatted with (a hash,
    not the password); None where the settings ask for no SCRAM user."""
    if not scram_credentials_wanted(settings):
        return None
    username, password = sasl_user(settings)
    account = "\0".join((settings.kafka_sasl_mechanism, username, password))
    return hashlib.sha256(account.encode()).hexdigest()


def command(
    settings: Settings, layout: StateLayout, artifacts: Artifacts, java: str, node: int = 1
) -> list[str]:
    agent = jmx_agent_option(
        artifacts, settings.host, metrics_port(settings, node), packaged_file(METRICS_CONFIG)
    )
    config = layout.config(config_name(node))
    return kafka_class_command(java, settings.kafka_heap, artifacts, "kafka.Kafka", config, [agent])


def healthy(settings: Settings, node: int = 1) -> bool:
    """Whether the node answers on its own port and counts itself among the cluster's
    live brokers: registered with the quorum and not fenced."""
    access = kafka_access(settings)
    # Brokers elsewhere are not ours to tell apart: any of them answering will do.
    local = settings.kafka_bootstrap_servers is None
    if local:
        access = access.at(f"{settings.kafka_advertised_host}:{broker_port(settings, node)}")
    admin = AdminClient(access.config(QUIET))
    try:
        metadata = admin.list_topics(timeout=1)
    except KafkaException:
        return False
    return node in metadata.brokers if local else bool(metadata.brokers)
