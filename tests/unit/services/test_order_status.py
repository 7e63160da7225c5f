from __future__ import annotations

import itertools

import pytest

from orderflow.events.model import (
    EventType,
    InventoryRejected,
    InventoryReleased,
    InventoryReserved,
    OrderCreated,
    PaymentCompleted,
    PaymentDeclined,
    ShipmentCancelled,
    ShipmentCreated,
)
from orderflow.services.order.status import TERMINAL, Facts, Status, advance, status_of

PAID_PATH: list[EventType] = [OrderCreated, InventoryReserved, ShipmentCreated, PaymentCompleted]
DECLINED_PATH: list[EventType] = [
    OrderCreated,
    InventoryReserved,
    ShipmentCreated,
    PaymentDeclined,
    InventoryReleased,
    ShipmentCancelled,
]


def _replay(events: list[EventType]) -> tuple[Status, list[Status]]:
    status, facts = Status.ORDER_CREATED, Facts()
    history: list[Status] = []
    for seen in events:
        progress = advance(status, facts, seen)
        status, facts = progress.status, progress.facts
        history.extend(progress.reached)
    return status, history


def test_happy_path_ends_paid_through_every_status() -> None:
    status, history = _replay(PAID_PATH)

    assert status is Status.PAID
    assert history == [
        Status.ORDER_CREATED,
        Status.INVENTORY_CONFIRMED,
        Status.SHIPPED,
        Status.PAID,
    ]


def test_declined_payment_is_cancelled_once_both_compensations_are_seen() -> None:
    status, history = _replay(DECLINED_PATH[:5])
    assert status is Status.PAYMENT_FAILED

    status, history = _replay(DECLINED_PATH)
    assert status is Status.CANCELLED
    assert history[-2:] == [Status.PAYMENT_FAILED, Status.CANCELLED]


def test_out_of_stock_is_terminal() -> None:
    assert _replay([OrderCreated, InventoryRejected])[0] is Status.INVENTORY_FAILED


@pytest.mark.parametrize("order", list(itertools.permutations(DECLINED_PATH)))
def test_any_arrival_order_ends_in_the_same_terminal_status(order: tuple[EventType, ...]) -> None:
    status, history = _replay(list(order))

    assert status is Status.CANCELLED
    assert sorted(history) == sorted(
        [Status.ORDER_CREATED, Status.INVENTORY_CONFIRMED, Status.SHIPPED, Status.PAYMENT_FAILED,
         Status.CANCELLED]
    )  # fmt: skip


@pytest.mark.parametrize("order", list(itertools.permutations(PAID_PATH)))
def test_status_never_moves_backwards(order: tuple[EventType, ...]) -> None:
    rank = [Status.ORDER_CREATED, Status.INVENTORY_CONFIRMED, Status.SHIPPED, Status.PAID]
    status, facts = Status.ORDER_CREATED, Facts()
    for seen in order:
        progress = advance(status, facts, seen)
        assert rank.index(progress.status) >= rank.index(status)
        status, facts = progress.status, progress.facts
    assert status is Status.PAID


def test_redelivery_changes_nothing() -> None:
    first = advance(Status.SHIPPED, {OrderCreated, InventoryReserved}, ShipmentCreated)
    again = advance(first.status, first.facts, ShipmentCreated)

    assert again.status is first.status
    assert again.facts == first.facts
    assert again.reached == ()


def test_terminal_status_never_changes() -> None:
    for terminal in TERMINAL:
        assert advance(terminal, set(), InventoryReserved).status is terminal


def test_status_of_nothing_is_created() -> None:
    assert status_of(frozenset()) is Status.ORDER_CREATED
