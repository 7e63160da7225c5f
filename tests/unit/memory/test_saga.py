"""The whole system in memory: the saga's three paths, redelivery and poison.

The four declared services run their real decisions, processor and consumer
loop on memory stores and a memory bus (orderflow.memory); nothing waits.
"""

from __future__ import annotations

from dataclasses import replace

from orderflow.events.ids import ItemId, OrderId, UserId
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
from orderflow.events.stamp import fresh_stamp
from orderflow.events.topics import ALL_TOPICS, ORDER_EVENTS, PAYMENT_EVENTS
from orderflow.memory.system import MemorySystem
from orderflow.services.inventory.domain import Level, StockView
from orderflow.services.order.status import Status
from orderflow.services.payment.domain import PaymentsView
from orderflow.services.shipping.domain import ShipmentsView
from orderflow.settings import Settings


def _system(balance_cents: int = 100_000) -> MemorySystem:
    return MemorySystem(Settings(payment_default_balance_cents=balance_cents))


def _types(system: MemorySystem) -> list[type]:
    return [type(e) for topic in ALL_TOPICS for e in system.bus.events(topic)]


def _stock(system: MemorySystem) -> StockView:
    stock: StockView = system.state("inventory")
    return stock


def test_an_order_in_stock_and_paid_for_ends_paid() -> None:
    system = _system()

    order = system.place("123", ["item1", "item2"])
    system.run_until_quiet()

    assert system.status(order) is Status.PAID
    assert _types(system) == [OrderCreated, InventoryReserved, ShipmentCreated, PaymentCompleted]
    assert _stock(system).stock[ItemId("item1")] == Level(9, 1)
    payments: PaymentsView = system.state("payment")
    assert payments.balance(UserId("123")) == 100_000 - 1250 - 800


def test_an_order_out_of_stock_ends_inventory_failed_and_holds_nothing() -> None:
    system = _system()

    order = system.place("123", ["item1", "item3"])
    system.run_until_quiet()

    assert system.status(order) is Status.INVENTORY_FAILED
    assert _types(system) == [OrderCreated, InventoryRejected]
    assert _stock(system).stock[ItemId("item1")] == Level(10, 0)
    shipments: ShipmentsView = system.state("shipping")
    assert shipments.shipments == {}


def test_a_declined_payment_releases_stock_cancels_the_shipment_and_ends_cancelled() -> None:
    system = _system(balance_cents=0)

    order = system.place("broke", ["item2"])
    system.run_until_quiet()

    assert system.status(order) is Status.CANCELLED
    assert sorted(t.__name__ for t in _types(system)) == sorted(
        t.__name__
        for t in (
            OrderCreated, InventoryReserved, ShipmentCreated, PaymentDeclined,
            InventoryReleased, ShipmentCancelled,
        )
    )  # fmt: skip
    assert _stock(system).stock[ItemId("item2")] == Level(5, 0)
    shipments: ShipmentsView = system.state("shipping")
    assert shipments.shipments[order].cancelled


def test_stock_runs_out_for_the_orders_after_the_last_item() -> None:
    system = _system()

    orders = [system.place(f"u{n}", ["item2"]) for n in range(7)]
    system.run_until_quiet()

    statuses = [system.status(o) for o in orders]
    assert statuses == [Status.PAID] * 5 + [Status.INVENTORY_FAILED] * 2
    assert _stock(system).stock[ItemId("item2")] == Level(0, 5)


def test_redelivery_of_everything_has_no_second_effect() -> None:
    system = _system(balance_cents=2000)
    paid = system.place("123", ["item1"])
    declined = system.place("123", ["item1"])  # 2000 - 1250 left: not enough
    system.run_until_quiet()
    before = {topic: len(system.bus.topics[topic]) for topic in ALL_TOPICS}

    for running in system.running.values():
        running.source.rewind()  # as if every consumer crashed before committing
    system.run_until_quiet()

    assert {topic: len(system.bus.topics[topic]) for topic in ALL_TOPICS} == before
    assert (system.status(paid), system.status(declined)) == (Status.PAID, Status.CANCELLED)
    assert _stock(system).stock[ItemId("item1")] == Level(9, 1)
    payments: PaymentsView = system.state("payment")
    assert payments.balance(UserId("123")) == 750


def test_a_poison_message_is_dead_lettered_by_each_consumer_and_the_rest_go_on() -> None:
    system = _system()
    system.bus.send(ORDER_EVENTS, b"not avro at all", b"some-key")
    order = system.place("123", ["item1"])

    system.run_until_quiet()

    assert system.status(order) is Status.PAID
    refused = sorted((group, reason.split(":")[0]) for group, _, reason in system.dead_letters())
    assert refused == [
        ("inventory-service", "undecodable"),
        ("order-status-service", "undecodable"),
    ]


def test_an_event_a_decision_refuses_is_dead_lettered_alone() -> None:
    system = _system()
    order = system.place("123", ["item1"])
    system.run_until_quiet()
    [paid] = system.bus.events(PAYMENT_EVENTS)
    # Well-formed Avro, but its orderId is no order id at all.
    stamp = fresh_stamp()
    system.bus.publish([replace(paid, event_id=stamp.event_id, order_id=OrderId("not-a-uuid"))])
    later = system.place("123", ["item1"])

    system.run_until_quiet()

    [(group, _, reason)] = system.dead_letters()
    assert group == "order-status-service"
    assert "not a uuid" in reason
    assert (system.status(order), system.status(later)) == (Status.PAID, Status.PAID)
