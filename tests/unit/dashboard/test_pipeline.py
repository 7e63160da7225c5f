"""The pipeline drawn from the declarations, and the verdicts on its parts."""

from __future__ import annotations

import dataclasses

import pytest

from orderflow.dashboard.pipeline import (
    Answer,
    Kind,
    Readiness,
    connector_verdict,
    lag_growing,
    pipeline,
    readiness,
)
from orderflow.events.model import PaymentCompleted
from orderflow.events.topics import ALL_TOPICS, PAYMENT_EVENTS
from orderflow.services import SERVICES
from orderflow.services.inventory.service import INVENTORY
from orderflow.stack.connector import ConnectorState

CONNECTOR = "orderflow-outbox"


def test_the_nodes_are_the_declared_services_the_outboxes_the_connector_and_the_topics() -> None:
    drawn = pipeline(SERVICES, CONNECTOR)

    assert [(n.id, n.kind, n.label) for n in drawn.nodes] == [
        ("order", Kind.SERVICE, "OrderService"),
        ("outbox", Kind.DATABASE, "Postgres outboxes"),
        ("connector", Kind.CONNECTOR, "outbox connector"),
        *((topic, Kind.TOPIC, topic) for topic in ALL_TOPICS),
        ("inventory", Kind.SERVICE, "InventoryService"),
        ("shipping", Kind.SERVICE, "ShippingService"),
        ("payment", Kind.SERVICE, "PaymentService"),
        ("status", Kind.SERVICE, "OrderStatusService"),
    ]
    by_id = {n.id: n for n in drawn.nodes}
    assert by_id["order"].detail == "POST /order"
    assert by_id["connector"].detail == CONNECTOR
    assert by_id["status"].group == "order-status-service"
    assert by_id["status"].service == "status"  # a process of its own, not the HTTP front's


def test_the_edges_follow_the_events_from_each_service_to_its_consumers() -> None:
    edges = set(pipeline(SERVICES, CONNECTOR).edges)

    assert {
        ("order", "outbox"),
        ("inventory", "outbox"),
        ("shipping", "outbox"),
        ("payment", "outbox"),
        ("outbox", "connector"),
        *(("connector", topic) for topic in ALL_TOPICS),
        ("OrderEventsTopic", "inventory"),
        ("PaymentEventsTopic", "inventory"),
        ("InventoryEventsTopic", "shipping"),
        ("PaymentEventsTopic", "shipping"),
        ("ShippingEventsTopic", "payment"),
        *((topic, "status") for topic in ALL_TOPICS),
    } == edges
    assert ("status", "outbox") not in edges  # the projection emits nothing


def test_a_service_declared_tomorrow_is_drawn_without_a_change_to_the_dashboard() -> None:
    notify = dataclasses.replace(
        INVENTORY,
        name="notify",
        title="NotifyService",
        group="notify-service",
        topics=(PAYMENT_EVENTS,),
        schema="notify",
        emits=(),
    )

    drawn = pipeline((*SERVICES, notify), CONNECTOR)

    assert ("notify", "NotifyService") in [(n.id, n.label) for n in drawn.nodes]
    assert (PAYMENT_EVENTS, "notify") in drawn.edges
    assert ("notify", "outbox") not in drawn.edges  # it emits nothing


def test_a_topic_only_consumed_is_drawn_but_not_fed_by_the_connector() -> None:
    reader = dataclasses.replace(
        INVENTORY, name="reader", group="reader-service", topics=("AuditTopic",), emits=()
    )
    payer = dataclasses.replace(INVENTORY, topics=(), emits=(PaymentCompleted,))

    drawn = pipeline((payer, reader), CONNECTOR)

    assert [n.id for n in drawn.nodes if n.kind is Kind.TOPIC] == [PAYMENT_EVENTS, "AuditTopic"]
    assert ("connector", "AuditTopic") not in drawn.edges
    assert ("AuditTopic", "reader") in drawn.edges


@pytest.mark.parametrize(
    ("now", "before", "growing"),
    [
        (None, 10.0, False),  # unknown: not red for want of a number
        (500.0, None, False),
        (100.0, 0.0, False),  # by the floor of 100, not more
        (101.0, 0.0, True),
        (1_000.0, 900.0, False),  # 100 more, but 20% of 900 is 180
        (1_081.0, 900.0, True),
        (50.0, 5_000.0, False),  # falling
    ],
)
def test_lag_grows_when_it_rose_by_more_than_100_or_a_fifth_of_what_it_was(
    now: float | None, before: float | None, growing: bool
) -> None:
    assert lag_growing(now, before) is growing


def test_a_service_is_ready_when_its_processes_answer_and_each_says_ready() -> None:
    assert readiness([Answer(True)]) == Readiness(1, True, None)
    assert readiness([]) == Readiness(0, False, "not answering on /readyz")
    assert readiness([None]) == Readiness(0, False, "not answering on /readyz")
    assert readiness([Answer(True), None]) == Readiness(1, True, None)
    assert readiness([Answer(True), Answer(False, "database: refused")]) == Readiness(
        2, False, "database: refused"
    )


def test_the_connector_shows_its_state_or_its_first_task_s_that_is_not_running() -> None:
    running = ConnectorState(CONNECTOR, "RUNNING", ("RUNNING",))
    assert connector_verdict(running) == ("RUNNING", None)
    assert connector_verdict(ConnectorState(CONNECTOR, "PAUSED", ("PAUSED",))) == (
        "PAUSED",
        "connector PAUSED",
    )
    failed = ConnectorState(
        CONNECTOR, "RUNNING", ("RUNNING", "FAILED"), "org.x.ConnectException: slot gone\n\tat y"
    )
    assert connector_verdict(failed) == (
        "FAILED",
        "task 1 FAILED: org.x.ConnectException: slot gone",
    )
    assert connector_verdict(ConnectorState(CONNECTOR, "RUNNING", ())) == (
        "UNASSIGNED",
        "no task is running yet",
    )
    assert connector_verdict("not registered") == (None, "not registered")
