"""The one configuration object of every orderflow process.

Built once in a composition root and passed down; nothing else reads the
environment. Every field can be set as ``ORDERFLOW_<FIELD>`` (for example
``ORDERFLOW_KAFKA_PORT=19092``).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from pydantic_settings import SettingsError as SourceError

from orderflow.stack.scale import instance_port

Port = int
# Every port a Settings holds, one per listening part: a stack of its own
# (stack/isolated.py) gives each a free one.
PORT_FIELDS = (
    "kafka_port",
    "kafka_controller_port",
    "connect_port",
    "postgres_port",
    "registry_port",
    "order_port",
    "inventory_port",
    "shipping_port",
    "payment_port",
    "status_port",
    "kafka_metrics_port",
    "connect_metrics_port",
    "prometheus_port",
    "dashboard_port",
)
KafkaSecurity = Literal["PLAINTEXT", "SSL", "SASL_SSL"]
SaslMechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]
SslMode = Literal["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]
# A server bound to one of these listens on every interface; a client cannot
# connect to it by that name, and Kafka must not advertise it.
_WILDCARDS = frozenset({"0.0.0.0", "::", ""})


def reachable(host: str) -> str:
    """The address a client on this machine reaches a server bound to ``host`` at."""
    return "127.0.0.1" if host in _WILDCARDS else host


def _default_state_dir() -> Path:
    # Root runs Postgres as another OS user, which must be able to reach the
    # folder: /root is closed to others, /var/lib is not.
    if os.geteuid() == 0:
        return Path("/var/lib/orderflow")
    xdg = os.environ.get("XDG_STATE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "state"
    return base / "orderflow"


def _default_cache_dir() -> Path:
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "orderflow"


class Settings(BaseSettings):
    # A .env file in the working folder, for a deployment's settings; the
    # environment wins over it. See .env.example.
    model_config = SettingsConfigDict(
        env_prefix="ORDERFLOW_", extra="ignore", env_file=".env", env_file_encoding="utf-8"
    )

    # The address our own servers bind to. Clients on this machine reach them
    # at it, or at 127.0.0.1 when it is a wildcard such as 0.0.0.0.
    host: str = "127.0.0.1"
    # "json": one JSON object per log line (see observability/logs.py).
    log_format: Literal["text", "json"] = "text"
    # A line per HTTP request on the OrderService (see observability/access_log.py).
    access_log: bool = False
    state_dir: Path = Field(default_factory=_default_state_dir)
    cache_dir: Path = Field(default_factory=_default_cache_dir)

    kafka_port: Port = 9092
    kafka_controller_port: Port = 9093
    connect_port: Port = 8083
    # 5432 is often taken by a Postgres the user already runs; ours sits beside
    # it, below Linux's ephemeral range (32768-60999), where any client socket
    # may hold a port (even in TIME-WAIT) and the server's bind would fail.
    postgres_port: Port = 15432
    registry_port: Port = 8081
    # The compacted topic the schema registry keeps its state in (Confluent's default name).
    registry_topic: str = "_schemas"
    registry_timeout_s: float = 10.0
    # Request bodies over this are refused (413) before they are parsed: a
    # schema's record must fit a Kafka message (1 MiB by default), and Avro's
    # parser is quadratic in a record's field count.
    registry_body_limit_bytes: int = Field(default=512 * 1024, ge=1)
    order_port: Port = 8080
    # The worker services answer HTTP only for their health, readiness and metrics.
    inventory_port: Port = 8091
    shipping_port: Port = 8092
    payment_port: Port = 8093
    status_port: Port = 8095
    # The Prometheus JMX exporter agents in the Kafka and Connect JVMs, and the
    # Prometheus server the stack can start (see stack/prometheus.py).
    kafka_metrics_port: Port = 9404
    connect_metrics_port: Port = 9405
    prometheus_port: Port = 9090
    # The dashboard (see dashboard/): a page of the running pipeline, and how
    # often it reads the system while a browser has it open.
    dashboard_port: Port = 8094
    dashboard_refresh_s: float = Field(default=2.0, gt=0, le=60)

    # The local stack's Kafka cluster (`orderflow up --brokers`, set by the launcher):
    # broker n listens on each Kafka port one step up per broker after the first
    # (stack/scale.py), and the bootstrap list names every one.
    kafka_brokers: int = Field(default=1, ge=1, le=5)
    # Per broker and per Connect worker.
    kafka_heap: str = "512m"
    connect_heap: str = "768m"

    postgres_db: str = "orderflow"
    # The superuser that owns the database: the launcher, the migrations and
    # the admin commands use it; the services and the connector do not.
    postgres_user: str = "orderflow"
    # The login role of each service (its own schema, rows only) and of the
    # connector (replication, SELECT on the outboxes). Migration 0006_roles
    # creates these names with those grants; other names need the same grants.
    postgres_orders_role: str = "orderflow_orders"
    postgres_inventory_role: str = "orderflow_inventory"
    postgres_shipping_role: str = "orderflow_shipping"
    postgres_payment_role: str = "orderflow_payment"
    postgres_connector_role: str = "orderflow_connector"
    # Postgres refuses to run as root; a root launcher runs it as this OS user.
    postgres_os_user: str = "postgres"
    # How Kafka Connect reaches Postgres; differs from `host` when Connect runs
    # elsewhere (in docker-compose it is the service name "postgres").
    connector_database_host: str | None = None
    # Where the clients (services, tools, registry) reach each part, when not at
    # `host`, which stays the address our own servers listen on: in
    # docker-compose the services listen on 0.0.0.0 and reach "kafka",
    # "postgres" and "schema-registry". The launcher's Kafka advertises
    # kafka_host, and its Connect connect_host, to the clients.
    kafka_host: str | None = None
    postgres_host: str | None = None
    registry_host: str | None = None
    connect_host: str | None = None

    # A Kafka elsewhere (a cluster, a managed service): its brokers as
    # "host:port,host:port", instead of the local one at kafka_host:kafka_port.
    kafka_bootstrap_servers: str | None = None
    # How every client (services, tools, the registry, Connect) talks to Kafka.
    # With TLS on and no CA named, the local stack's own CA (see stack/tls.py).
    kafka_security_protocol: KafkaSecurity = "PLAINTEXT"
    kafka_sasl_mechanism: SaslMechanism = "SCRAM-SHA-512"
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_ssl_ca_file: Path | None = None
    # A schema registry elsewhere (Confluent's, say), instead of ours at
    # registry_host:registry_port, with HTTP basic auth when it asks for it. Our
    # own registry asks for these credentials when they are set.
    schema_registry_url: str | None = None
    registry_username: str | None = None
    registry_password: SecretStr | None = None
    registry_ssl_ca_file: Path | None = None
    # Postgres elsewhere: each login role's password (by role name, as JSON:
    # {"orderflow_orders": "..."}), and TLS for every role.
    postgres_passwords: dict[str, SecretStr] = Field(default_factory=dict)
    postgres_sslmode: SslMode | None = None
    postgres_ssl_root_cert: Path | None = None

    java: str = "java"
    startup_timeout_s: float = 180.0

    # The services (see services/*/service.py and messaging/runtime.py).
    topic_partitions: int = Field(default=6, ge=1)
    # Which of its service's processes this one is (`orderflow up --scale`, set by the
    # launcher): its HTTP port is the service's, one step up per instance after the
    # first (stack/scale.py).
    instance: int = Field(default=1, ge=1)
    consumer_batch_size: int = Field(default=500, ge=1)
    # What a user without an account row may spend: 1000.00 in cents.
    payment_default_balance_cents: int = Field(default=100_000, ge=0)
    http_body_limit_bytes: int = Field(default=64 * 1024, ge=1)

    @field_validator(*PORT_FIELDS)
    @classmethod
    def _port_in_range(cls, value: int) -> int:
        if not 1 <= value <= 65535:
            raise ValueError(f"port {value} is outside 1..65535")
        return value

    @field_validator("kafka_heap", "connect_heap")
    @classmethod
    def _heap_size(cls, value: str) -> str:
        number, unit = value[:-1], value[-1:].lower()
        if not number.isdigit() or unit not in {"m", "g"}:
            raise ValueError(f"heap size {value!r} is not like 512m or 1g")
        return value

    @model_validator(mode="after")
    def _sasl_needs_credentials(self) -> Settings:
        if self.kafka_security_protocol == "SASL_SSL" and not (
            self.kafka_sasl_username and self.kafka_sasl_password
        ):
            raise ValueError(
                "SASL_SSL needs ORDERFLOW_KAFKA_SASL_USERNAME and ORDERFLOW_KAFKA_SASL_PASSWORD"
            )
        if bool(self.registry_username) != bool(self.registry_password):
            raise ValueError(
                "registry basic auth needs both ORDERFLOW_REGISTRY_USERNAME "
                "and ORDERFLOW_REGISTRY_PASSWORD"
            )
        return self

    @property
    def kafka_advertised_host(self) -> str:
        """The host the local Kafka tells its clients to connect to."""
        return self.kafka_host or reachable(self.host)

    @property
    def kafka_bootstrap(self) -> str:
        """The brokers as ``host:port,…``: those named, else every broker of the local
        cluster (a client that starts while one is down still finds the others)."""
        if self.kafka_bootstrap_servers is not None:
            return self.kafka_bootstrap_servers
        return ",".join(
            f"{self.kafka_advertised_host}:{instance_port(self.kafka_port, broker)}"
            for broker in range(1, self.kafka_brokers + 1)
        )

    @property
    def kafka_tls(self) -> bool:
        return self.kafka_security_protocol != "PLAINTEXT"

    @property
    def local_tls_dir(self) -> Path:
        """Where the local stack keeps the CA and the broker certificate it makes."""
        return self.state_dir / "tls"

    @property
    def kafka_ca_file(self) -> Path | None:
        """The CA the clients check the brokers' certificates with: the one named, else
        the local stack's own; for brokers elsewhere, None: the system's trusted CAs."""
        if not self.kafka_tls:
            return None
        if self.kafka_ssl_ca_file is not None:
            return self.kafka_ssl_ca_file
        return self.local_tls_dir / "ca.pem" if self.kafka_bootstrap_servers is None else None

    @property
    def connect_advertised_host(self) -> str:
        """The host the local Connect workers are reached at, by us and by each other."""
        return self.connect_host or reachable(self.host)

    @property
    def connect_url(self) -> str:
        return f"http://{self.connect_advertised_host}:{self.connect_port}"

    @property
    def registry_url(self) -> str:
        if self.schema_registry_url:
            return self.schema_registry_url.rstrip("/")
        return f"http://{self.registry_host or reachable(self.host)}:{self.registry_port}"

    @property
    def postgres_dsn(self) -> str:
        return self.service_dsn(self.postgres_user)

    def service_dsn(self, role: str) -> str:
        """The DSN a service logs in with as ``role`` (a service declares which of ours)."""
        # Here, not at the top: the CLI builds Settings for --help, which loads no psycopg.
        from psycopg.conninfo import make_conninfo

        host = self.postgres_host or reachable(self.host)
        return make_conninfo(
            host=host,
            port=self.postgres_port,
            dbname=self.postgres_db,
            user=role,
            **self._postgres_secrets(role),
        )

    def _postgres_secrets(self, role: str) -> dict[str, str]:
        found: dict[str, str] = {}
        if role in self.postgres_passwords:
            found["password"] = self.postgres_passwords[role].get_secret_value()
        if self.postgres_sslmode:
            found["sslmode"] = self.postgres_sslmode
        if self.postgres_ssl_root_cert:
            found["sslrootcert"] = str(self.postgres_ssl_root_cert)
        return found

    def as_env(self) -> dict[str, str]:
        """The environment that gives a child process these same settings, secrets too."""
        return {
            f"ORDERFLOW_{name.upper()}": _env_value(getattr(self, name))
            for name in type(self).model_fields
            if getattr(self, name) is not None
        }


def _env_value(value: object) -> str:
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, dict):
        return json.dumps({key: _env_value(item) for key, item in value.items()})
    return str(value)


class SettingsError(Exception):
    """A setting from the environment is invalid; the message names the variable."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except SourceError as error:
        # A complex field (a dict) whose variable is not JSON: pydantic-settings names
        # the field in prose, and its cause says where the JSON broke.
        named = _FIELD_IN_PROSE.search(str(error))
        where = f"ORDERFLOW_{named.group(1).upper()}" if named else "a setting"
        raise SettingsError(f"{where}: not JSON ({error.__cause__})") from None
    except ValidationError as error:
        problems = "; ".join(_problem(e["loc"], e["msg"]) for e in error.errors())
        raise SettingsError(problems) from None


_FIELD_IN_PROSE = re.compile(r'field "(\w+)"')


def _problem(where: tuple[int | str, ...], message: str) -> str:
    # A check across fields (a model validator) has no one field to name: its message does.
    if not where:
        return message.removeprefix("Value error, ")
    # A role's password is in the dict under its role name: name the variable only.
    return f"ORDERFLOW_{str(where[0]).upper()}: {message}"
