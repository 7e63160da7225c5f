"""`orderflow up --scale … --brokers 3 --connect-workers 2`: two processes of every
service, a Kafka cluster of three and two Connect workers, supervised, on ports of its own.

Every topic has three replicas, two in sync; a broker killed leaves orders paid;
the connector's task moves to the other worker when its own stops answering.

Each group has two members that split its partitions; orders are paid; the two
OrderService processes share one API port, and an order is followed live on
either, whichever projected it; one replica killed leaves the other consuming
while the supervisor brings it back; `status` lists every instance; scaling
while up starts and stops instances and Prometheus scrapes each.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from confluent_kafka.admin import AdminClient, ConfigResource  # type: ignore[attr-defined]

from orderflow.access import kafka_access
from orderflow.chaos.run import own_system
from orderflow.services import CONSUMERS
from orderflow.settings import Settings
from orderflow.stack import connect
from orderflow.stack.components import component_named
from orderflow.stack.connector import outbox_connector
from orderflow.stack.groups import GroupState, group_states
from orderflow.stack.launcher import Launcher
from orderflow.stack.processes import live_process
from orderflow.stack.scale import instance_name

from .client import place, wait_terminal
from .system import wait_for
from .test_supervision import kill_and_await_comeback

pytestmark = pytest.mark.stack

SCALED = ("order", "inventory", "shipping", "payment", "status")
GROUPS = {s.group: s.name for s in CONSUMERS}
CLUSTER = {"kafka": 3, "connect": 2}
# Out of stock at first (migration 0003): the cluster's tests stock it for themselves.
CLUSTER_ITEM = "item3"


@pytest.fixture(scope="module")
def scaled() -> Iterator[Launcher]:
    scale = {**{name: 2 for name in SCALED}, **CLUSTER}
    with own_system(Settings(), lambda _: None, scale) as launcher:
        _cli(launcher, "inventory", "set", CLUSTER_ITEM, "50")
        yield launcher


def _cli(launcher: Launcher, *arguments: str) -> str:
    environment = {**os.environ, **launcher.settings.as_env()}
    done = subprocess.run(
        [sys.executable, "-m", "orderflow", *arguments],
        capture_output=True, text=True, env=environment, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def own_url(launcher: Launcher, name: str) -> str:
    """The port of that one process, not the one the OrderService processes share."""
    port = component_named(name, launcher.scale).port(launcher.settings)
    return f"http://{launcher.settings.host}:{port}"


@pytest.fixture
def http(scaled: Launcher) -> Iterator[httpx.Client]:
    base = f"http://{scaled.settings.host}:{scaled.settings.order_port}"
    with httpx.Client(base_url=base, timeout=10) as client:
        yield client


def status_json(launcher: Launcher) -> dict[str, object]:
    document: dict[str, object] = json.loads(_cli(launcher, "status", "--json"))
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
            == partitions * len(next(s for s in CONSUMERS if s.group == state.group).topics)
        ), state


def test_status_lists_every_instance_ready(scaled: Launcher) -> None:
    document = status_json(scaled)

    components = document["components"]
    assert isinstance(components, list)
    shown = {row["name"]: row for row in components}
    for name in (*SCALED, "connect"):
        for instance in (name, f"{name}-2"):
            assert shown[instance]["healthy"] is True, shown[instance]
            assert shown[instance]["pid"] is not None
    assert all(shown[broker]["healthy"] for broker in ("kafka", "kafka-2", "kafka-3"))
    assert shown["inventory-2"]["port"] == component_named("inventory-2", scaled.scale).port(
        scaled.settings
    )


def test_orders_are_paid_through_the_replicas(scaled: Launcher, http: httpx.Client) -> None:
    # The stock is item1 10, item2 5: this module's orders take 8 and 5 of them.
    orders = [place(http, f"user-{uuid.uuid4()}", ["item1"]) for _ in range(4)]

    assert {wait_terminal(http, order_id) for order_id in orders} == {"Paid"}


def test_the_order_service_processes_share_one_port(scaled: Launcher) -> None:
    def answered_by_the_second() -> float:
        metrics = httpx.get(f"{own_url(scaled, 'order-2')}/metrics", timeout=5).text
        return sum(
            float(line.rsplit(" ", 1)[1])
            for line in metrics.splitlines()
            if line.startswith("orderflow_http_requests_total{") and 'status="404"' in line
        )

    before = answered_by_the_second()
    shared = f"http://{scaled.settings.host}:{scaled.settings.order_port}"
    for _ in range(40):
        # A connection each: the kernel picks a process per connection.
        with httpx.Client(base_url=shared, timeout=5) as client:
            unknown = client.get("/order/status", params={"orderId": str(uuid.uuid4())})
            assert unknown.status_code == 404
    answered = answered_by_the_second() - before

    # Some of the forty reached the second process, and not all of them did.
    assert 0 < answered < 40, answered


class Follower(threading.Thread):
    """One order's live stream, read to its end on a thread: the statuses, and when."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self._url = url
        self.statuses: list[str] = []
        self.ended_at: float | None = None

    def run(self) -> None:
        with httpx.stream("GET", self._url, timeout=60) as stream:
            for line in stream.iter_lines():
                if line.startswith("data: "):
                    self.statuses.append(json.loads(line.removeprefix("data: "))["status"])
        self.ended_at = time.monotonic()


def test_an_order_is_followed_live_on_either_process(scaled: Launcher, http: httpx.Client) -> None:
    # The orders wait at the inventory while their followers connect to the second
    # process; each is projected by whichever process holds its partition: seven
    # orders, so some by the first (2⁻⁷ odds not).
    held = [live_process(scaled.layout.pid_file(n)) for n in ("inventory", "inventory-2")]
    second = own_url(scaled, "order-2")
    for process in held:
        assert process is not None
        process.suspend()
    try:
        orders = [place(http, f"user-{uuid.uuid4()}", ["item2"]) for _ in range(4)]
        orders += [place(http, f"user-{uuid.uuid4()}", ["item1"]) for _ in range(3)]
        followers = [Follower(f"{second}/orders/{order_id}/events") for order_id in orders]
        for follower in followers:
            follower.start()
        wait_for("every follower to see its order created",
                 lambda: all(f.statuses for f in followers) or None, 20)  # fmt: skip
    finally:
        for process in held:
            if process is not None:
                process.resume()
    resumed_at = time.monotonic()
    for follower in followers:
        follower.join(timeout=60)

    for order_id, follower in zip(orders, followers, strict=True):
        assert follower.statuses[-1] == "Paid", (order_id, follower.statuses)
        # Told at once, not found at the stream's next keep-alive read, 15 s on.
        assert follower.ended_at is not None
        assert follower.ended_at - resumed_at < 10, (order_id, follower.ended_at - resumed_at)


def test_with_one_replica_killed_orders_go_on_and_it_comes_back(
    scaled: Launcher, http: httpx.Client
) -> None:
    wait_for("two members in each group", lambda: two_members_each(scaled), 90, 1.0)

    kill_and_await_comeback(scaled, "payment-2")
    kill_and_await_comeback(scaled, "order-2")
    order_id = place(http, f"user-{uuid.uuid4()}", ["item2"])

    assert wait_terminal(http, order_id) == "Paid"
    log = scaled.layout.log("supervisor").read_text()
    assert "payment-2 restarted" in log
    assert "order-2 restarted" in log


def test_scaling_while_up_starts_and_stops_instances(scaled: Launcher, http: httpx.Client) -> None:
    gone = live_process(scaled.layout.pid_file("shipping-2"))
    assert gone is not None

    scaled.up_supervised(with_services=True, scale={"order": 2, "inventory": 2, "payment": 3})

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


def test_every_topic_has_three_replicas_and_takes_two_in_sync(scaled: Launcher) -> None:
    admin = AdminClient(kafka_access(scaled.settings).config())
    topics = admin.list_topics(timeout=10).topics
    internal = ("_schemas", "_connect-configs", "_connect-offsets", "_connect-status")
    for name in ("OrderEventsTopic", "DeadLetterTopic", "__consumer_offsets", *internal):
        replicas = {len(p.replicas) for p in topics[name].partitions.values()}
        assert replicas == {3}, name
    resource = ConfigResource("topic", "PaymentEventsTopic")
    configs = admin.describe_configs([resource])[resource].result(10)
    assert configs["min.insync.replicas"].value == "2"


def test_with_a_broker_killed_orders_are_paid_and_it_comes_back(
    scaled: Launcher, http: httpx.Client
) -> None:
    broker = component_named("kafka-2", scaled.scale)
    process = live_process(scaled.layout.pid_file(broker.name))
    assert process is not None

    process.kill()
    orders = [place(http, f"user-{uuid.uuid4()}", [CLUSTER_ITEM]) for _ in range(3)]

    assert {wait_terminal(http, order_id) for order_id in orders} == {"Paid"}
    wait_for(
        "kafka-2 back in the cluster",
        lambda: (scaled.running(broker) and broker.healthy(scaled.settings)) or None,
        timeout_s=90,
        every_s=0.5,
    )
    assert "kafka-2 restarted" in scaled.layout.log("supervisor").read_text()


def test_the_connector_task_moves_when_its_worker_stops_answering(
    scaled: Launcher, http: httpx.Client
) -> None:
    holder = _task_worker(scaled)
    assert holder is not None
    other = "connect-2" if holder == "connect" else "connect"
    process = live_process(scaled.layout.pid_file(holder))
    assert process is not None

    # Stopped, not killed: alive to the supervisor, gone to its group.
    process.suspend()
    try:
        wait_for(f"the task on {other}", lambda: _task_worker(scaled) == other or None, 60, 0.5)
        order_id = place(http, f"user-{uuid.uuid4()}", [CLUSTER_ITEM])
        assert wait_terminal(http, order_id) == "Paid"
    finally:
        process.resume()


def _task_worker(launcher: Launcher) -> str | None:
    """Which worker runs the outbox connector's task, by component name, while it runs."""
    settings = launcher.settings
    name, _ = outbox_connector(settings)
    workers = {connect.worker_port(settings, n): instance_name(connect.NAME, n) for n in (1, 2)}
    for worker in (1, 2):
        url = f"{connect.worker_url(settings, worker)}/connectors/{name}/status"
        try:
            tasks = httpx.get(url, timeout=2).json().get("tasks", [])
        except (httpx.HTTPError, ValueError):
            continue  # that one is stopped: ask the other
        if tasks and tasks[0]["state"] == "RUNNING":
            return workers.get(int(tasks[0]["worker_id"].rsplit(":", 1)[1]))
    return None
