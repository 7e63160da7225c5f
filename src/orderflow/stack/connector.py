"""The Debezium outbox connector: its config (connectors/*.json) and its state in Connect.

The JSON file is what a user would POST to Connect by hand; the launcher
takes it as it is and only points the database settings at our Postgres.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from orderflow.settings import Settings
from orderflow.stack.errors import StackError

OUTBOX_CONNECTOR_FILE = "outbox-connector.json"


@dataclass(frozen=True)
class ConnectorState:
    """What Kafka Connect reports of one connector: its state, its tasks' states, and the
    first stack trace of a failure, if any."""

    name: str
    connector: str
    tasks: tuple[str, ...]
    trace: str | None = None

    @property
    def running(self) -> bool:
        return (
            self.connector == "RUNNING"
            and bool(self.tasks)
            and all(task == "RUNNING" for task in self.tasks)
        )


def find_connector_file(name: str = OUTBOX_CONNECTOR_FILE) -> Path:
    for folder in Path(__file__).resolve().parents:
        candidate = folder / "connectors" / name
        if candidate.is_file():
            return candidate
    raise StackError("connector", f"connectors/{name} not found above the orderflow package")


def outbox_connector(settings: Settings, file: Path | None = None) -> tuple[str, dict[str, str]]:
    document = json.loads((file or find_connector_file()).read_text())
    config: dict[str, str] = dict(document["config"])
    config.update(
        {
            "database.hostname": settings.connector_database_host or settings.host,
            # Inside the compose network Postgres listens on its own port, 5432.
            "database.port": "5432"
            if settings.connector_database_host
            else str(settings.postgres_port),
            "database.user": settings.postgres_connector_role,
            "database.dbname": settings.postgres_db,
            **database_secrets(settings),
        }
    )
    return document["name"], config


def database_secrets(settings: Settings) -> dict[str, str]:
    """The connector role's password and the TLS to Postgres, in Debezium's keys; none
    unset (our local Postgres trusts loopback), so that none is sent where none is needed."""
    found: dict[str, str] = {}
    password = settings.postgres_passwords.get(settings.postgres_connector_role)
    if password is not None:
        found["database.password"] = password.get_secret_value()
    if settings.postgres_sslmode is not None:
        found["database.sslmode"] = settings.postgres_sslmode
    if settings.postgres_ssl_root_cert is not None:
        found["database.sslrootcert"] = str(settings.postgres_ssl_root_cert)
    return found


def register(settings: Settings, name: str, config: dict[str, str]) -> None:
    """Create or update: PUT on the config is idempotent, POST would fail the second time."""
    answer = httpx.put(f"{settings.connect_url}/connectors/{name}/config", json=config, timeout=30)
    if answer.status_code not in (200, 201):
        raise StackError("connector", f"Connect refused {name}: {answer.text}")


def state(settings: Settings, name: str) -> ConnectorState | None:
    try:
        answer = httpx.get(f"{settings.connect_url}/connectors/{name}/status", timeout=5)
    except httpx.HTTPError:
        return None
    if answer.status_code != 200:
        return None
    body: dict[str, Any] = answer.json()
    tasks = tuple(str(task["state"]) for task in body.get("tasks", []))
    traces = [task.get("trace") for task in body.get("tasks", []) if task.get("trace")]
    trace = body["connector"].get("trace") or (traces[0] if traces else None)
    return ConnectorState(name, str(body["connector"]["state"]), tasks, trace)
