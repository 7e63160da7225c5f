"""Handlers against fake stores: what each service does when an event arrives."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import datetime
from typing import TypeVar

import pytest

from orderflow.events.ids import ItemId, OrderId, ShipmentId, UserId
from orderflow.events.model import (
    InventoryRejected,
    InventoryReleased,
    InventoryReserved,
    OrderCreated,
    PaymentCompleted,
    PaymentDeclined,
    ShipmentCancelled,
    ShipmentCreated,
)
from orderflow.messaging.unit import Unit
from orderflow.services.inventory import handlers as inventory
from orderflow.services.inventory.domain import Reservation
from orderflow.services.order import handlers as order_status
from orderflow.services.order.status import Progress, Status
from orderflow.services.order.status_ports import Tracked
from orderflow.services.payment import handlers as payment
from orderflow.services.shipping import handlers as shipping
from orderflow.services.shipping.domain import Shipment

from .stamps import stamp

ORDER = OrderId("3f1d2c4b-5a69-4788-9a0b-1c2d3e4f5a6b")
USER = UserId("123")
_counter = itertools.count(100)
S = TypeVar("S")


def _unit(store: S) -> Unit[S]:
    return Unit(store, lambda: stamp(next(_counter)))


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


class FakeInventory:
    def __init__(self, stock: dict[ItemId, int]) -> None:
        self.stock = stock
        self.reserved: dict[OrderId, Reservation] = {}

    def available(self, items: Iterable[ItemId]) -> dict[ItemId, int]:
        return {i: self.stock[i] for i in items if i in self.stock}

    def reservation(self, order_id: OrderId) -> Reservation | None:
        return self.reserved.get(order_id)

    def hold(self, held: Reservation, at: datetime) -> None:
        for item, n in held.quantities.items():
            self.stock[item] -= n
        self.reserved[held.order_id] = held

    def give_back(self, held: Reservation, at: datetime) -> None:
        for item, n in held.quantities.items():
            self.stock[item] += n
        self.reserved[held.order_id] = Reservation(
            held.order_id, held.user_id, held.items, held.total_cents, released=True
        )


def test_inventory_reserves_then_releases_on_a_declined_payment() -> None:
    store = FakeInventory({ItemId("item1"): 10, ItemId("item2"): 5})
    unit = _unit(store)

    inventory.HANDLERS[OrderCreated](_created("item1", "item2"), unit)
    inventory.HANDLERS[PaymentDeclined](_declined(), unit)
    inventory.HANDLERS[PaymentDeclined](_declined(), unit)  # a second decline: nothing

    assert [type(e) for e in unit.emitted] == [InventoryReserved, InventoryReleased]
    assert store.stock == {"item1": 10, "item2": 5}


def test_inventory_rejects_without_holding_anything() -> None:
    store = FakeInventory({ItemId("item1"): 10, ItemId("item3"): 0})
    unit = _unit(store)

    inventory.HANDLERS[OrderCreated](_created("item1", "item3"), unit)

    assert [type(e) for e in unit.emitted] == [InventoryRejected]
    assert store.stock == {"item1": 10, "item3": 0}
    assert store.reserved == {}


class FakeShipping:
    def __init__(self) -> None:
        self.shipments: dict[OrderId, Shipment] = {}

    def shipment(self, order_id: OrderId) -> Shipment | None:
        return self.shipments.get(order_id)

    def create(self, shipment: Shipment, at: datetime) -> None:
        self.shipments[shipment.order_id] = shipment

    def cancel(self, order_id: OrderId, at: datetime) -> None:
        s = self.shipments[order_id]
        self.shipments[order_id] = Shipment(
            s.shipment_id, s.order_id, s.user_id, s.total_cents, cancelled=True
        )


def _reserved() -> InventoryReserved:
    s = stamp(3)
    return InventoryReserved(
        event_id=s.event_id, order_id=ORDER, occurred_at=s.occurred_at, user_id=USER,
        items=(ItemId("item1"),), total_cents=1250,
    )  # fmt: skip


def test_shipping_ships_once_and_cancels_once() -> None:
    store = FakeShipping()
    unit = _unit(store)

    shipping.HANDLERS[InventoryReserved](_reserved(), unit)
    shipping.HANDLERS[InventoryReserved](_reserved(), unit)
    shipping.HANDLERS[PaymentDeclined](_declined(), unit)
    shipping.HANDLERS[PaymentDeclined](_declined(), unit)

    assert [type(e) for e in unit.emitted] == [ShipmentCreated, ShipmentCancelled]
    assert store.shipments[ORDER].cancelled


class FakePayments:
    def __init__(self, balance: int) -> None:
        self.balances = {USER: balance}
        self.recorded: list[PaymentCompleted | PaymentDeclined] = []

    def balance(self, user_id: UserId) -> int:
        return self.balances[user_id]

    def paid_already(self, order_id: OrderId) -> bool:
        return any(p.order_id == order_id for p in self.recorded)

    def record(self, outcome: PaymentCompleted | PaymentDeclined, balance_cents: int) -> None:
        self.balances[outcome.user_id] = balance_cents
        self.recorded.append(outcome)


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
    store = FakePayments(balance)
    unit = _unit(store)

    payment.HANDLERS[ShipmentCreated](_shipped(1250), unit)
    payment.HANDLERS[ShipmentCreated](_shipped(1250), unit)

    assert [type(e) for e in unit.emitted] == [outcome]
    assert store.balances[USER] == left


class FakeStatuses:
    def __init__(self, known: dict[str, Tracked]) -> None:
        self.known = known
        self.history: list[Status] = []

    def load(self, order_id: OrderId) -> Tracked | None:
        return self.known.get(order_id)

    def save(self, order_id: OrderId, progress: Progress, occurred_at: datetime) -> None:
        self.known[order_id] = Tracked(progress.status, progress.facts)
        self.history.extend(progress.reached)


def test_status_moves_on_and_ignores_what_it_has_seen() -> None:
    store = FakeStatuses({ORDER: Tracked(Status.ORDER_CREATED, frozenset())})
    unit = _unit(store)

    for event in (_created("item1"), _reserved(), _shipped(1250), _reserved()):
        order_status.HANDLERS[type(event)](event, unit)

    assert store.known[ORDER].status is Status.SHIPPED
    assert store.history == [Status.ORDER_CREATED, Status.INVENTORY_CONFIRMED, Status.SHIPPED]
    assert unit.emitted == []


def test_status_of_an_unknown_order_is_retried_not_guessed() -> None:
    unit = _unit(FakeStatuses({}))

    with pytest.raises(order_status.UnknownOrder):
        order_status.HANDLERS[OrderCreated](_created("item1"), unit)


def test_every_handler_table_names_only_real_handlers() -> None:
    for table in (inventory.HANDLERS, shipping.HANDLERS, payment.HANDLERS, order_status.HANDLERS):
        assert all(callable(h) for h in table.values())
    assert set(order_status.HANDLERS) == {
        OrderCreated, InventoryReserved, InventoryRejected, InventoryReleased,
        ShipmentCreated, ShipmentCancelled, PaymentCompleted, PaymentDeclined,
    }  # fmt: skip
