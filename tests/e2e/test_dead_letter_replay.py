"""A record dead-lettered for a cause since fixed is replayed, goes through, and only once.

The cause is one an operator meets: InventoryService's role lacks a privilege
(as after a migration that forgot a grant), so its handler fails on the stock
table and the consumer dead-letters the order's OrderCreated, while the order
stays at Order Created. Once the grant is back, `orderflow dead-letters
replay` sends the record back to OrderEventsTopic and the order goes on to
Paid. Replayed a second time, it changes nothing: InventoryService's inbox has
its event id (counted as a duplicate), and so has OrderStatusService's.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from confluent_kafka import Consumer, Message, TopicPartition
from prometheus_client.parser import text_string_to_metric_families
from psycopg import sql

from orderflow.events.topics import ORDER_EVENTS
from orderflow.messaging.deadletters import DEAD_LETTER_TOPIC
from orderflow.services.inventory.service import INVENTORY
from orderflow.services.order.service import STATUS
from orderflow.settings import Settings
from orderflow.stack.components import service_component

from .client import detail, place, query, status, wait_terminal
from .kafka import header_text, read_all, wait_committed
from .system import System, wait_for

pytestmark = pytest.mark.stack

ORDERFLOW = str(Path(sys.executable).parent / "orderflow")
SENT = re.compile(r"^sent (\S+) to (\S+) partition (\d+) at offset (\d+) \(")


def orderflow(settings: Settings, *args: str) -> str:
    """Run the CLI as a user does, against the test stack; its stdout, once it succeeded."""
    done = subprocess.run(
        [ORDERFLOW, *args], capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, **settings.as_env()},
    )  # fmt: skip
    assert done.returncode == 0, (
        f"orderflow {' '.join(args)}: exit {done.returncode}: {done.stderr}"
    )
    return done.stdout


def _update_on_stock(settings: Settings, *, granted: bool) -> None:
    statement = (
        sql.SQL("GRANT UPDATE ON {} TO {}") if granted else sql.SQL("REVOKE UPDATE ON {} FROM {}")
    )
    role = sql.Identifier(INVENTORY.role(settings))
    with psycopg.connect(settings.postgres_dsn, autocommit=True) as conn:
        conn.execute(statement.format(sql.Identifier("inventory", "stock"), role))


@pytest.fixture
def missing_grant(system: System) -> Iterator[Callable[[], None]]:
    """InventoryService's role may no longer update (nor lock) inventory.stock; the value
    gives the grant back, as the teardown does whatever happened."""
    _update_on_stock(system.settings, granted=False)
    try:
        yield lambda: _update_on_stock(system.settings, granted=True)
    finally:
        _update_on_stock(system.settings, granted=True)


def dead_letter_of(settings: Settings, order_id: str, group: str) -> Message | None:
    for message in read_all(settings, DEAD_LETTER_TOPIC):
        if message.key() == order_id.encode() and (
            header_text(message).get("dlq.consumer.group") == group
        ):
            return message
    return None


def record_at(settings: Settings, topic: str, partition: int, offset: int) -> Message:
    consumer = Consumer(
        {
            "bootstrap.servers": settings.kafka_bootstrap,
            "group.id": f"e2e-reader-{uuid.uuid4()}",
            "enable.auto.commit": False,
        }
    )
    try:
        consumer.assign([TopicPartition(topic, partition, offset)])
        message = wait_for(f"{topic}[{partition}]@{offset}", lambda: consumer.poll(0.5), 30)
        assert message.error() is None, message.error()
        assert message.offset() == offset
        return message
    finally:
        consumer.close()


def replay(settings: Settings, letter_id: str) -> tuple[int, int]:
    """`replay ID --yes`; the partition and offset it says the record got."""
    lines = orderflow(settings, "dead-letters", "replay", letter_id, "--yes").splitlines()
    assert len(lines) == 1, lines
    found = SENT.match(lines[0])
    assert found is not None, lines[0]
    assert found.group(1, 2) == (letter_id, ORDER_EVENTS)
    return int(found.group(3)), int(found.group(4))


def handled_by_both(settings: Settings, partition: int, offset: int) -> None:
    # The consumers flush their dead letters before they commit: past this, any is written.
    for group in (INVENTORY.group, STATUS.group):
        wait_committed(settings, group, ORDER_EVENTS, partition, offset)


def duplicates(settings: Settings) -> float:
    """OrderCreated events InventoryService's inbox has dropped as handled already."""
    url = service_component(INVENTORY).metrics(settings)
    assert url is not None
    answer = httpx.get(url, timeout=10)
    assert answer.status_code == 200, answer.text
    wanted = {
        "service": INVENTORY.name,
        "topic": ORDER_EVENTS,
        "event_type": "OrderCreated",
        "outcome": "duplicate",
    }
    return sum(
        sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
        if sample.name == "orderflow_events_total" and sample.labels == wanted
    )


def effects(settings: Settings, order_id: str, user: str) -> dict[str, Any]:
    return {
        "stock": query(
            settings, "SELECT item_id, available, reserved FROM inventory.stock ORDER BY 1"
        ),
        "reservations": query(
            settings, "SELECT state FROM inventory.reservations WHERE order_id = %s", order_id
        ),
        "shipments": query(
            settings, "SELECT state FROM shipping.shipments WHERE order_id = %s", order_id
        ),
        "payments": query(
            settings, "SELECT state FROM payment.payments WHERE order_id = %s", order_id
        ),
        "balance": query(
            settings, "SELECT balance_cents FROM payment.accounts WHERE user_id = %s", user
        ),
    }


def test_a_dead_letter_replayed_once_its_cause_is_fixed_goes_through_once(
    system: System, http: httpx.Client, missing_grant: Callable[[], None]
) -> None:
    settings = system.settings
    user = f"user-{uuid.uuid4()}"
    order_id = place(http, user, ["item1"])

    dead = wait_for(
        f"InventoryService to dead-letter order {order_id}'s OrderCreated",
        lambda: dead_letter_of(settings, order_id, INVENTORY.group),
        90,
        0.5,
    )
    letter_id = f"{dead.partition()}:{dead.offset()}"
    listed = [
        json.loads(line)
        for line in orderflow(settings, "dead-letters", "list", "--json").splitlines()
    ]
    (row,) = [r for r in listed if r["id"] == letter_id]
    assert row["group"] == INVENTORY.group
    assert (row["origin_topic"], row["event_type"], row["key"]) == (
        ORDER_EVENTS,
        "OrderCreated",
        order_id,
    )
    assert "InsufficientPrivilege" in row["reason"], row["reason"]
    assert status(http, order_id) == "Order Created"
    assert effects(settings, order_id, user)["reservations"] == []

    missing_grant()  # the cause, fixed
    partition, offset = replay(settings, letter_id)

    replayed = record_at(settings, ORDER_EVENTS, partition, offset)
    headers = header_text(replayed)
    assert headers["dlq.replayed.from"] == f"{DEAD_LETTER_TOPIC}:{letter_id}"
    assert not any(name.startswith("dlq.") and name != "dlq.replayed.from" for name in headers)
    assert (replayed.key(), replayed.value()) == (dead.key(), dead.value())
    assert headers["id"] == header_text(dead)["id"]
    assert partition == row["origin_partition"]  # where the order's other events are
    assert wait_terminal(http, order_id) == "Paid"
    handled_by_both(settings, partition, offset)
    before = effects(settings, order_id, user)
    assert before["reservations"] == [("reserved",)]
    assert before["payments"] == [("completed",)]
    history = detail(http, order_id)["history"]
    dropped = duplicates(settings)

    partition, offset = replay(settings, letter_id)  # again: the inboxes absorb it
    handled_by_both(settings, partition, offset)

    assert duplicates(settings) == dropped + 1
    assert effects(settings, order_id, user) == before
    assert detail(http, order_id)["history"] == history
    assert status(http, order_id) == "Paid"
    source = {
        "dlq.source.topic": ORDER_EVENTS,
        "dlq.source.partition": str(partition),
        "dlq.source.offset": str(offset),
    }
    again = [
        m
        for m in read_all(settings, DEAD_LETTER_TOPIC)
        if m.key() == order_id.encode() and source.items() <= header_text(m).items()
    ]
    assert again == []
