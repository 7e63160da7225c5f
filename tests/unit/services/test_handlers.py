"""Decisions over views: what each service decides when an event arrives.

Each test plays events through a service's handler table the way the
processor does (decide, then fold the changes into the view), with no store.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any, TypeVar

import pytest

from orderflow.events.ids import ItemId, OrderId, ShipmentId, UserId
from orderflow.events.model import (
    Event,
    InventoryRejected,
    InventoryReleased,
    InventoryReserved,
    OrderCreated,
    PaymentCompleted,
    PaymentDeclined,
    ShipmentCancelled,
    ShipmentCreated,
)
from orderflow.messaging.decision import Handlers, View
from orderflow.services.inventory import handlers as inventory
from orderflow.services.inventory.domain import Level, StockView
from orderflow.services.order import handlers as order_status
from orderflow.services.order.projection import StatusView, Tracked
from orderflow.services.order.status import Status
from orderflow.services.payment import handlers as payment
from orderflow.services.payment.domain import PaymentsView
from orderflow.services.shipping import handlers as shipping
from orderflow.services.shipping.domain import ShipmentsView

from .stamps import stamp

ORDER = OrderId("3f1d2c4b-5a69-4788-9a0b-1c2d3e4f5a6b")
USER = UserId("123")
_counter = itertools.count(100)
V = TypeVar("V", bound=View[Any])


def _play(handlers: Handlers[V, Any], view: V, events: Sequence[Event]) -> list[Event]:
    """Decide each event in turn, folding its changes in; the events emitted."""
    emitted = []
    for event in events:
        decision = handlers.decide(event, view, stamp(next(_counter)))
        for change in decision.changes:
            view.fold(change)
        if decision.event is not None:
            emitted.append(decision.event)
    return emitted


def _stock(**levels: int) -> StockView:
    return StockView({ItemId(item): Level(n, 0) for item, n in levels.items()})


def _created(*items: str) -> OrderCreated:
    s = stamp(1)
    return OrderCreated(
        event_id=s.event_id, order_id=ORDER, occurred_at=s.occurred_at, user_id=USER,
        items=tuple(ItemId(i) for i in items), total_cents=2050,
    )  # fmt: skip


def _declined() -> PaymentDeclined:
    s = stamp(2)
    return PaymentDeclined(
        event_id=s.event_id, order_id=ORDER, occurred_at=s.occurred_at, user_id=USER,
        amount_cents=2050, reason="insufficient funds",
    )  # fmt: skip


def test_inventory_reserves_then_releases_on_a_declined_payment() -> None:
    view = _stock(item1=10, item2=5)

    emitted = _play(
        inventory.HANDLERS,
        view,
        [_created("item1", "item2"), _declined(), _declined()],  # a second decline: nothing
    )

    assert [type(e) for e in emitted] == [InventoryReserved, InventoryReleased]
    assert view.available([ItemId("item1"), ItemId("item2")]) == {"item1": 10, "item2": 5}
    assert view.reservations[ORDER].released


def test_inventory_holds_what_it_reserves() -> None:
    view = _stock(item1=10, item2=5)

    _play(inventory.HANDLERS, view, [_created("item1", "item1", "item2")])

    assert view.stock[ItemId("item1")] == Level(8, 2)
    assert view.stock[ItemId("item2")] == Level(4, 1)


def test_inventory_rejects_without_holding_anything() -> None:
    view = _stock(item1=10, item3=0)

    emitted = _play(inventory.HANDLERS, view, [_created("item1", "item3")])

    assert [type(e) for e in emitted] == [InventoryRejected]
    assert view.stock == {"item1": Level(10, 0), "item3": Level(0, 0)}
    assert view.reservations == {}


def test_inventory_reserves_an_order_once() -> None:
    view = _stock(item1=10)

    emitted = _play(inventory.HANDLERS, view, [_created("item1"), _created("item1")])

    assert [type(e) for e in emitted] == [InventoryReserved]
    assert view.stock[ItemId("item1")] == Level(9, 1)


def _reserved() -> InventoryReserved:
    s = stamp(3)
    return InventoryReserved(
        event_id=s.event_id, order_id=ORDER, occurred_at=s.occurred_at, user_id=USER,
        items=(ItemId("item1"),), total_cents=1250,
    )  # fmt: skip


def test_shipping_ships_once_and_cancels_once() -> None:
    view = ShipmentsView()

    emitted = _play(shipping.HANDLERS, view, [_reserved(), _reserved(), _declined(), _declined()])

    assert [type(e) for e in emitted] == [ShipmentCreated, ShipmentCancelled]
    assert view.shipments[ORDER].cancelled


def test_a_decline_without_a_shipment_cancels_nothing() -> None:
    assert _play(shipping.HANDLERS, ShipmentsView(), [_declined()]) == []


def _shipped(total: int) -> ShipmentCreated:
    s = stamp(4)
    return ShipmentCreated(
        event_id=s.event_id, order_id=ORDER, occurred_at=s.occurred_at,
        shipment_id=ShipmentId("7b1e3c5d-0000-4000-8000-000000000001"), user_id=USER,
        total_cents=total,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("balance", "outcome", "left"),
    [(5000, PaymentCompleted, 3750), (1000, PaymentDeclined, 1000)],
)
def test_payment_charges_once(balance: int, outcome: type, left: int) -> None:
    view = PaymentsView(default_balance_cents=0, balances={USER: balance})

    emitted = _play(payment.HANDLERS, view, [_shipped(1250), _shipped(1250)])

    assert [type(e) for e in emitted] == [outcome]
    assert view.balance(USER) == left


def test_a_new_user_pays_from_the_default_balance() -> None:
    view = PaymentsView(default_balance_cents=2000)

    _play(payment.HANDLERS, view, [_shipped(1250)])

    assert view.balance(USER) == 750


def test_status_moves_on_and_ignores_what_it_has_seen() -> None:
    view = StatusView({ORDER: Tracked(Status.ORDER_CREATED, frozenset())})
    history: list[Status] = []

    for event in (_created("item1"), _reserved(), _shipped(1250), _reserved()):
        decision = order_status.HANDLERS.decide(event, view, stamp())
        for change in decision.changes:
            view.fold(change)
            history.extend(change.progress.reached)
        assert decision.event is None

    assert view.tracked[ORDER].status is Status.SHIPPED
    assert history == [Status.ORDER_CREATED, Status.INVENTORY_CONFIRMED, Status.SHIPPED]


def test_status_of_an_unknown_order_is_retried_not_guessed() -> None:
    with pytest.raises(order_status.UnknownOrder):
        _play(order_status.HANDLERS, StatusView(), [_created("item1")])


def test_each_table_handles_the_event_types_of_its_service() -> None:
    assert inventory.HANDLERS.event_types == {OrderCreated, PaymentDeclined}
    assert shipping.HANDLERS.event_types == {InventoryReserved, PaymentDeclined}
    assert payment.HANDLERS.event_types == {ShipmentCreated}
    assert order_status.HANDLERS.event_types == {
        OrderCreated, InventoryReserved, InventoryRejected, InventoryReleased,
        ShipmentCreated, ShipmentCancelled, PaymentCompleted, PaymentDeclined,
    }  # fmt: skip
