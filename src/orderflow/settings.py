"""The one configuration object of every orderflow process.

Built once in a composition root and passed down; nothing else reads the
environment. Every field can be set as ``ORDERFLOW_<FIELD>`` (for example
``ORDERFLOW_KAFKA_PORT=19092``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Port = int


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
    model_config = SettingsConfigDict(env_prefix="ORDERFLOW_", extra="ignore")

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
    # The Prometheus JMX exporter agents in the Kafka and Connect JVMs, and the
    # Prometheus server the stack can start (see stack/prometheus.py).
    kafka_metrics_port: Port = 9404
    connect_metrics_port: Port = 9405
    prometheus_port: Port = 9090
    # The dashboard (see dashboard/): a page of the running pipeline, and how
    # often it reads the system while a browser has it open.
    dashboard_port: Port = 8094
    dashboard_refresh_s: float = Field(default=2.0, gt=0, le=60)

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
    # "postgres" and "schema-registry". The launcher's own stack ignores them.
    kafka_host: str | None = None
    postgres_host: str | None = None
    registry_host: str | None = None
    connect_host: str | None = None

    java: str = "java"
    startup_timeout_s: float = 180.0

    # The services (see services/*/service.py and messaging/runtime.py).
    topic_partitions: int = Field(default=6, ge=1)
    consumer_batch_size: int = Field(default=500, ge=1)
    # What a user without an account row may spend: 1000.00 in cents.
    payment_default_balance_cents: int = Field(default=100_000, ge=0)
    http_body_limit_bytes: int = Field(default=64 * 1024, ge=1)

    @field_validator(
        "kafka_port",
        "kafka_controller_port",
        "connect_port",
        "postgres_port",
        "registry_port",
        "order_port",
        "inventory_port",
        "shipping_port",
        "payment_port",
        "kafka_metrics_port",
        "connect_metrics_port",
        "prometheus_port",
        "dashboard_port",
    )
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

    @property
    def kafka_bootstrap(self) -> str:
        return f"{self.kafka_host or self.host}:{self.kafka_port}"

    @property
    def connect_url(self) -> str:
        return f"http://{self.connect_host or self.host}:{self.connect_port}"

    @property
    def registry_url(self) -> str:
        return f"http://{self.registry_host or self.host}:{self.registry_port}"

    @property
    def postgres_dsn(self) -> str:
        return self.service_dsn(self.postgres_user)

    def service_dsn(self, role: str) -> str:
        """The DSN a service logs in with as ``role`` (a service declares which of ours)."""
        host = self.postgres_host or self.host
        return f"host={host} port={self.postgres_port} dbname={self.postgres_db} user={role}"

    def as_env(self) -> dict[str, str]:
        """The environment that gives a child process these same settings."""
        return {
            f"ORDERFLOW_{name.upper()}": str(value)
            for name, value in self.model_dump().items()
            if value is not None
        }


class SettingsError(Exception):
    """A setting from the environment is invalid; the message names the variable."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        problems = "; ".join(
            f"ORDERFLOW_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
            for e in error.errors()
        )
        raise SettingsError(problems) from None
