"""The whole system on a secured stack: Kafka on SASL_SSL (SCRAM-SHA-512 over TLS
with the stack's own CA), the registry behind basic auth.

Every client (the services, Connect and its connector, the registry's log, the
tools) gets the credentials from the one set of settings; an order goes down
its path as on the plain stack. A service given a wrong password says so in one
line, at once, rather than wait out its start-up timeout.

Postgres keeps trusting loopback here (the local stack's initdb --auth=trust):
its passwords and TLS are the connection string's, unit tested in
tests/unit/stack/test_deployment_settings.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator

import httpx
import psycopg
import pytest
from pydantic import SecretStr

from orderflow.events.ids import ItemId
from orderflow.services.inventory.stock_admin import set_available
from orderflow.settings import Settings
from orderflow.stack.isolated import isolated_settings, open_state_dir
from orderflow.stack.launcher import Launcher
from orderflow.stack.ports import free_ports

from .client import place, wait_terminal

pytestmark = pytest.mark.stack

REGISTRY_USER, REGISTRY_PASSWORD = "shop", "registry secret"
# Far below the start-up timeout: a refusal must not wait for it.
TOLD_WITHIN_S = 60.0


@pytest.fixture(scope="module")
def secured() -> Iterator[Settings]:
    state_dir = open_state_dir()
    settings = isolated_settings(
        state_dir,
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_mechanism="SCRAM-SHA-512",
        kafka_sasl_username="orderflow",
        kafka_sasl_password=SecretStr("kafka, secret"),
        registry_username=REGISTRY_USER,
        registry_password=SecretStr(REGISTRY_PASSWORD),
    )
    launcher = Launcher(settings)
    try:
        launcher.up()
        with psycopg.connect(settings.postgres_dsn) as conn:
            set_available(conn, ItemId("item1"), 1_000)
        launcher.up_services()
        yield settings
    finally:
        launcher.down()
        shutil.rmtree(state_dir, ignore_errors=True)


def test_an_order_is_paid_through_the_secured_stack(secured: Settings) -> None:
    with httpx.Client(base_url=f"http://127.0.0.1:{secured.order_port}", timeout=30) as http:
        order_id = place(http, f"user-{uuid.uuid4()}", ["item1"])

        assert wait_terminal(http, order_id, timeout_s=120) == "Paid"


def test_the_registry_refuses_a_client_without_the_credentials(secured: Settings) -> None:
    anonymous = httpx.get(f"{secured.registry_url}/subjects", timeout=10)
    admitted = httpx.get(
        f"{secured.registry_url}/subjects", auth=(REGISTRY_USER, REGISTRY_PASSWORD), timeout=10
    )

    assert anonymous.status_code == 401
    assert admitted.status_code == 200
    assert "OrderEventsTopic-value" in admitted.json()


def test_the_tools_reach_the_secured_stack_with_the_settings(secured: Settings) -> None:
    topics = orderflow(secured, "topics", "list")
    schemas = orderflow(secured, "schemas", "list")

    assert topics.returncode == 0, topics.stderr
    assert "OrderEventsTopic" in topics.stdout
    assert schemas.returncode == 0, schemas.stderr
    assert "OrderEventsTopic-value" in schemas.stdout


@pytest.mark.parametrize(
    ("setting", "refused"),
    [
        ("ORDERFLOW_KAFKA_SASL_PASSWORD", "Kafka at 127.0.0.1:"),
        ("ORDERFLOW_REGISTRY_PASSWORD", "the schema registry at http://127.0.0.1:"),
    ],
)
def test_a_service_with_a_wrong_password_says_so_in_one_line_at_once(
    secured: Settings, setting: str, refused: str
) -> None:
    [port] = free_ports(1)
    started = time.monotonic()

    ran = orderflow(
        secured,
        "run",
        "inventory",
        **{setting: "wrong", "ORDERFLOW_INVENTORY_PORT": str(port)},
    )

    assert time.monotonic() - started < TOLD_WITHIN_S
    assert ran.returncode != 0
    errors = [line for line in ran.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, ran.stderr
    assert refused in errors[0]
    assert "refused us" in errors[0]
    assert "wrong" not in ran.stderr  # the password itself is not shown


def orderflow(settings: Settings, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``orderflow <args>`` with the settings as its environment, as a user's shell has them."""
    return subprocess.run(
        [sys.executable, "-m", "orderflow", *args],
        env={**os.environ, **settings.as_env(), **env},
        capture_output=True,
        text=True,
        timeout=TOLD_WITHIN_S + 60,
    )
