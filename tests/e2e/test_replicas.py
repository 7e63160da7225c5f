"""`orderflow up --scale`: two processes of each worker on a supervised system of its own.

Each group has two members that split its partitions; orders are paid; one
replica killed leaves the other consuming while the supervisor brings it back;
`status` lists every instance; scaling while up starts and stops instances and
Prometheus scrapes each.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator

import httpx
import pytest

from orderflow.chaos.run import own_system
from orderflow.services import SERVICES
from orderflow.settings import Settings
from orderflow.stack.components import component_named
from orderflow.stack.groups import GroupState, group_states
from orderflow.stack.launcher import Launcher
from orderflow.stack.processes import live_process

from .client import place, wait_terminal
from .system import wait_for
from .test_supervision import kill_and_await_comeback

pytestmark = pytest.mark.stack

WORKERS = ("inventory", "shipping", "payment")
GROUPS = {s.group: s.name for s in SERVICES if s.name in WORKERS}


@pytest.fixture(scope="module")
def scaled() -> Iterator[Launcher]:
    with own_system(Settings(), lambda _: None, {name: 2 for name in WORKERS}) as launcher:
        yield launcher


@pytest.fixture
def http(scaled: Launcher) -> Iterator[httpx.Client]:
    base = f"http://{scaled.settings.host}:{scaled.settings.order_port}"
    with httpx.Client(base_url=base, timeout=10) as client:
        yield client


def status_json(launcher: Launcher) -> dict[str, object]:
    environment = {**os.environ, **launcher.settings.as_env()}
    shown = subprocess.run(
        [sys.executable, "-m", "orderflow", "status", "--json"],
        capture_output=True, text=True, env=environment, timeout=120, check=False,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stdout + shown.stderr
    document: dict[str, object] = json.loads(shown.stdout)
    return document


def two_members_each(launcher: Launcher) -> list[GroupState] | None:
    """The workers' groups once each is stable with two members splitting its partitions."""
    states = group_states(launcher.settings, list(GROUPS))
    if states is None:
        return None
    settled = all(
        s.state == "STABLE" and s.members == 2 and len({c for _, _, c in s.owners}) == 2
        for s in states
    )
    return states if settled else None


def test_each_worker_group_has_two_members_sharing_its_partitions(scaled: Launcher) -> None:
    states = wait_for("two members in each group", lambda: two_members_each(scaled), 90, 1.0)

    partitions = scaled.settings.topic_partitions
    for state in states:
        held = [(topic, partition) for topic, partition, _ in state.owners]
        # Every partition of the group's topics held once, by one of the two.
        assert (
            len(held)
            == len(set(held))
            == partitions * len(next(s for s in SERVICES if s.group == state.group).topics)
        ), state


def test_status_lists_every_instance_ready(scaled: Launcher) -> None:
    document = status_json(scaled)

    components = document["components"]
    assert isinstance(components, list)
    shown = {row["name"]: row for row in components}
    for name in WORKERS:
        for instance in (name, f"{name}-2"):
            assert shown[instance]["healthy"] is True, shown[instance]
            assert shown[instance]["pid"] is not None
    assert shown["inventory-2"]["port"] == component_named("inventory-2", scaled.scale).port(
        scaled.settings
    )


def test_orders_are_paid_through_the_replicas(scaled: Launcher, http: httpx.Client) -> None:
    # Six of item1's ten in stock: enough left for the orders of the tests after.
    orders = [place(http, f"user-{uuid.uuid4()}", ["item1"]) for _ in range(6)]

    assert {wait_terminal(http, order_id) for order_id in orders} == {"Paid"}


def test_with_one_replica_killed_orders_go_on_and_it_comes_back(
    scaled: Launcher, http: httpx.Client
) -> None:
    wait_for("two members in each group", lambda: two_members_each(scaled), 90, 1.0)

    kill_and_await_comeback(scaled, "payment-2")
    order_id = place(http, f"user-{uuid.uuid4()}", ["item1"])

    assert wait_terminal(http, order_id) == "Paid"
    assert "payment-2 restarted" in scaled.layout.log("supervisor").read_text()


def test_scaling_while_up_starts_and_stops_instances(scaled: Launcher, http: httpx.Client) -> None:
    gone = live_process(scaled.layout.pid_file("shipping-2"))
    assert gone is not None

    scaled.up_supervised(with_services=True, scale={"inventory": 2, "payment": 3})

    assert not gone.is_running()
    assert not scaled.running(component_named("shipping-2", {"shipping": 2}))
    assert scaled.running(component_named("payment-3", scaled.scale))
    order_id = place(http, f"user-{uuid.uuid4()}", ["item1"])
    assert wait_terminal(http, order_id) == "Paid"
    # Prometheus re-read its config: the new instance is a target of the payment job.
    port = component_named("payment-3", scaled.scale).port(scaled.settings)
    assert port is not None
    wait_for("Prometheus to scrape payment-3", lambda: _scraped(scaled, port), 60, 1.0)


def _scraped(launcher: Launcher, port: int) -> bool | None:
    settings = launcher.settings
    url = f"http://{settings.host}:{settings.prometheus_port}/api/v1/targets"
    targets = httpx.get(url, timeout=5).json()["data"]["activeTargets"]
    return (
        any(
            t["labels"]["job"] == "payment"
            and t["labels"]["instance"].endswith(f":{port}")
            and t["health"] == "up"
            for t in targets
        )
        or None
    )
