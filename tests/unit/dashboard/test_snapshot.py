"""The snapshot built from fetched numbers: units, nulls for what failed, red and why."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from orderflow.dashboard.pipeline import Answer, pipeline
from orderflow.dashboard.snapshot import ONE, Measure, Measured, Reading, RecentOrder, snapshot
from orderflow.services import SERVICES
from orderflow.stack.connector import ConnectorState

AT = datetime(2026, 12, 3, 16, 40, 0, 123_000, tzinfo=UTC)
DRAWN = pipeline(SERVICES, "orderflow-outbox")
RUNNING = ConnectorState("orderflow-outbox", "RUNNING", ("RUNNING",))
ALL_READY: Mapping[str, Sequence[Answer | None]] = {s.name: [Answer(True)] for s in SERVICES}
ORDER = RecentOrder(
    "0190a1b2-0000-7000-8000-000000000001",
    "123",
    ("item1",),
    "Paid",
    AT,
    datetime(2026, 12, 3, 16, 40, 1, tzinfo=UTC),
)

MEASURED: Measured = {
    Measure.HTTP_RATE: {"order": 12.5},
    Measure.HTTP_P50_S: {"order": 0.0031},
    Measure.HTTP_P99_S: {"order": 0.012},
    Measure.HANDLED_RATE: {"inventory": 12.456, "status": 50.0},
    Measure.EVENT_P50_S: {"inventory": 0.001},
    Measure.EVENT_P99_S: {"inventory": 0.004},
    Measure.LAG: {"inventory-service": 3.0, "order-status-service": 0.0},
    Measure.LAG_BEFORE: {"inventory-service": 2.0, "order-status-service": 0.0},
    Measure.TOPIC_RATE: {"OrderEventsTopic": 12.7},
    Measure.OUTBOX_P50_S: {"OrderEventsTopic": 0.045},
    Measure.OUTBOX_P99_S: {"OrderEventsTopic": 0.12},
    Measure.CONNECTOR_RATE: {ONE: 50.2},
    Measure.BEHIND_MS: {ONE: 7.0},
    Measure.PLACED_RATE: {ONE: 12.7},
    Measure.COMPLETED_RATE: {ONE: 12.5},
    Measure.ORDER_P50_S: {ONE: 0.045},
    Measure.ORDER_P99_S: {ONE: 0.12},
}


def reading(
    measured: Measured = MEASURED,
    answers: Mapping[str, Sequence[Answer | None]] = ALL_READY,
    connector: ConnectorState | str = RUNNING,
    orders: Sequence[RecentOrder] | None = (ORDER,),
    dead_letters: int | None = 3,
) -> Reading:
    return Reading(AT, measured, answers, connector, orders, dead_letters)


def nodes(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {node["id"]: node for node in document["nodes"]}


def test_every_number_is_in_the_unit_and_place_the_page_reads_it() -> None:
    document = snapshot(DRAWN, reading(), refresh_s=2.0)
    shown = nodes(document)

    assert document["at"] == "2026-12-03T16:40:00.123+00:00"
    assert document["refreshSeconds"] == 2.0
    assert shown["order"] == {
        "id": "order",
        "kind": "service",
        "label": "OrderService",
        "detail": "POST /order",
        "ratePerSecond": 12.5,
        "lag": None,
        "lagGrowing": False,
        "behindMs": None,
        "p50Ms": 3.1,
        "p99Ms": 12.0,
        "ready": True,
        "reason": None,
        "instances": 1,
        "state": None,
        "alert": False,
    }
    inventory = shown["inventory"]
    assert (inventory["ratePerSecond"], inventory["lag"], inventory["p99Ms"]) == (12.46, 3, 4.0)
    status = shown["status"]
    assert (status["ratePerSecond"], status["lag"], status["ready"]) == (50.0, 0, True)
    topic = shown["OrderEventsTopic"]
    assert (topic["ratePerSecond"], topic["p50Ms"], topic["ready"]) == (12.7, 45.0, None)
    connector = shown["connector"]
    assert (connector["state"], connector["behindMs"], connector["ratePerSecond"]) == (
        "RUNNING",
        7,
        50.2,
    )
    assert shown["outbox"]["ready"] is None
    assert document["throughput"] == {
        "placedPerSecond": 12.7,
        "completedPerSecond": 12.5,
        "p50Ms": 45.0,
        "p99Ms": 120.0,
    }
    assert document["deadLetters"] == 3
    assert document["orders"] == [
        {
            "orderId": ORDER.order_id,
            "userId": "123",
            "items": ["item1"],
            "status": "Paid",
            "createdAt": "2026-12-03T16:40:00.123000+00:00",
            "updatedAt": "2026-12-03T16:40:01+00:00",
        }
    ]
    assert {"from": "connector", "to": "OrderEventsTopic"} in document["edges"]
    assert not any(node["alert"] for node in document["nodes"])


def test_with_prometheus_postgres_and_kafka_down_the_numbers_are_null_and_the_rest_stands() -> None:
    document = snapshot(DRAWN, reading(measured={}, orders=None, dead_letters=None), refresh_s=2.0)

    for node in document["nodes"]:
        assert (node["ratePerSecond"], node["p50Ms"], node["p99Ms"], node["lag"]) == (
            None,
            None,
            None,
            None,
        ), node["id"]
        assert node["alert"] is False, node["id"]  # still ready, and no lag known to grow
    assert set(document["throughput"].values()) == {None}
    assert document["deadLetters"] is None
    assert document["orders"] is None
    json.dumps(document, allow_nan=False)  # what the stream sends


def test_a_service_that_does_not_answer_is_red_with_no_instance() -> None:
    answers = {**ALL_READY, "payment": [None]}

    payment = nodes(snapshot(DRAWN, reading(answers=answers), 2.0))["payment"]

    assert (payment["ready"], payment["instances"], payment["alert"]) == (False, 0, True)
    assert payment["reason"] == "not answering on /readyz"


def test_the_status_projection_not_ready_reddens_its_node_alone_with_the_checks() -> None:
    answers = {**ALL_READY, "status": [Answer(False, "consumer: no partitions assigned yet")]}

    shown = nodes(snapshot(DRAWN, reading(answers=answers), 2.0))

    assert shown["status"]["alert"] is True
    assert shown["status"]["instances"] == 1
    assert shown["status"]["reason"] == "consumer: no partitions assigned yet"
    # A process of its own: the OrderService beside it still places orders.
    assert shown["order"]["alert"] is False


def test_a_service_counts_every_instance_that_answers_and_reddens_if_one_is_not_ready() -> None:
    answers = {**ALL_READY, "inventory": [Answer(True), Answer(False, "database: refused")]}

    shown = nodes(snapshot(DRAWN, reading(answers=answers), 2.0))

    assert shown["inventory"]["instances"] == 2
    assert shown["inventory"]["alert"] is True
    assert shown["inventory"]["reason"] == "database: refused"


def test_lag_growing_reddens_the_consumer_and_says_by_how_much() -> None:
    measured = {**MEASURED, Measure.LAG: {"shipping-service": 900.0}}
    measured[Measure.LAG_BEFORE] = {"shipping-service": 300.0}

    shipping = nodes(snapshot(DRAWN, reading(measured=measured), 2.0))["shipping"]

    assert (shipping["lagGrowing"], shipping["alert"], shipping["ready"]) == (True, True, True)
    assert shipping["reason"] == "lag rose from 300 to 900 in 30 s"


def test_a_connector_not_running_or_not_registered_is_red() -> None:
    paused = ConnectorState("orderflow-outbox", "PAUSED", ("PAUSED",))

    shown = nodes(snapshot(DRAWN, reading(connector=paused), 2.0))["connector"]
    absent = nodes(snapshot(DRAWN, reading(connector="not registered"), 2.0))["connector"]

    assert (shown["state"], shown["alert"], shown["instances"]) == ("PAUSED", True, 1)
    assert (absent["state"], absent["alert"], absent["reason"]) == (None, True, "not registered")
    assert absent["instances"] == 0


def test_debezium_s_minus_one_before_its_first_event_is_no_number() -> None:
    measured = {**MEASURED, Measure.BEHIND_MS: {ONE: -1.0}}

    assert nodes(snapshot(DRAWN, reading(measured=measured), 2.0))["connector"]["behindMs"] is None
