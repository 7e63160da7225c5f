"""The chaos checks over hand-made evidence: a clean run passes, each breach is caught."""

from __future__ import annotations

import dataclasses

from orderflow.bench.records import Placement
from orderflow.chaos.checks import check_all
from orderflow.chaos.evidence import Evidence, Order
from orderflow.chaos.plan import Path, Planned
from orderflow.chaos.prepare import Before
from orderflow.chaos.topics import Published, Topics

PAID_ID = "00000000-0000-0000-0000-000000000001"
DECLINED_ID = "00000000-0000-0000-0000-000000000002"
DEFAULT = 100_000


def clean() -> Evidence:
    planned = [
        Planned(0, "u-0", ("item1",), Path.PAID),
        Planned(1, "u-1", ("item1",), Path.DECLINED),
        Planned(2, "u-2", ("item1",), Path.PAID),
    ]
    placements = [
        Placement(0, 0.0, 0.1, 201, PAID_ID, None),
        Placement(1, 0.0, 0.1, 201, DECLINED_ID, None),
        Placement(2, 0.0, 0.1, None, None, "ClientConnectorError"),
    ]
    paid = Order(PAID_ID, 0, ("item1",), 1250, "Paid",
                 ("Order Created", "Inventory Confirmed", "Shipped", "Paid"))  # fmt: skip
    declined = Order(DECLINED_ID, 1, ("item1",), 1250, "Cancelled",
                     ("Order Created", "Inventory Confirmed", "Shipped", "Payment Failed",
                      "Cancelled"))  # fmt: skip
    events = [
        (PAID_ID, "OrderCreated", "orders"),
        (PAID_ID, "InventoryReserved", "inventory"),
        (PAID_ID, "ShipmentCreated", "shipping"),
        (PAID_ID, "PaymentCompleted", "payment"),
    ]
    published = {
        f"e{n}": Published(f"e{n}", kind, order) for n, (order, kind, _) in enumerate(events)
    }
    return Evidence(
        planned=planned,
        placements=placements,
        before=Before(total={"item1": 100}, reserved={"item1": 0}),
        topics=Topics(events=published),
        orders={PAID_ID: paid, DECLINED_ID: declined},
        stock={"item1": (99, 1)},
        reservations={PAID_ID: ("reserved", ("item1",)), DECLINED_ID: ("released", ("item1",))},
        orphan_reservations=0,
        reserved_by_reservations={"item1": 1},
        shipments={PAID_ID: "created", DECLINED_ID: "cancelled"},
        payments={PAID_ID: ("completed", 1250), DECLINED_ID: ("declined", 1250)},
        balances={0: DEFAULT - 1250, 1: 0},
        outbox_rows=0,
        inbox={
            "order-status-service": set(published),
            "inventory-service": {"e0"},
            "shipping-service": {"e1"},
            "payment-service": {"e2"},
        },
        default_balance_cents=DEFAULT,
    )


def failing(evidence: Evidence) -> set[str]:
    return {check.name for check in check_all(evidence) if not check.passed}


def test_a_clean_run_passes_every_check() -> None:
    assert failing(clean()) == set()


def test_an_accepted_order_missing_from_the_database_is_lost() -> None:
    e = clean()
    e.orders.pop(DECLINED_ID)
    assert "every accepted order is stored, once" in failing(e)


def test_an_order_stored_for_a_request_never_sent_is_a_phantom() -> None:
    e = clean()
    e.orders["x"] = dataclasses.replace(e.orders[PAID_ID], order_id="x", index=2)
    assert "every accepted order is stored, once" in failing(e)


def test_two_terminal_statuses_are_caught() -> None:
    e = clean()
    twice = (*e.orders[PAID_ID].history, "Cancelled")
    e.orders[PAID_ID] = dataclasses.replace(e.orders[PAID_ID], history=twice)
    assert "every order ends in exactly one terminal status" in failing(e)


def test_a_history_stepping_back_is_caught() -> None:
    e = clean()
    back = ("Order Created", "Shipped", "Inventory Confirmed", "Paid")
    e.orders[PAID_ID] = dataclasses.replace(e.orders[PAID_ID], history=back)
    assert "status histories never go backwards" in failing(e)


def test_stock_that_drifts_is_caught() -> None:
    e = dataclasses.replace(clean(), stock={"item1": (98, 1)})
    assert "stock conserved, one reservation per order" in failing(e)


def test_a_second_payment_event_for_one_order_is_caught() -> None:
    e = clean()
    e.topics.events["again"] = Published("again", "PaymentCompleted", PAID_ID)
    e.inbox["order-status-service"].add("again")
    assert "no double reservation, shipment or payment (events)" in failing(e)


def test_a_balance_charged_twice_is_caught() -> None:
    e = dataclasses.replace(clean(), balances={0: DEFAULT - 2500, 1: 0})
    assert "balances add up" in failing(e)


def test_an_event_no_inbox_took_is_caught() -> None:
    e = clean()
    e.inbox["payment-service"].clear()
    assert "inboxes hold every event handled, and nothing else" in failing(e)


def test_a_dead_letter_fails_the_run() -> None:
    e = clean()
    e.topics.dead_letters = 1
    assert "dead-letter topic empty" in failing(e)
