from __future__ import annotations

from orderflow.events.ids import OrderId, ShipmentId, UserId
from orderflow.events.model import PaymentCompleted, PaymentDeclined, ShipmentCreated
from orderflow.services.payment.domain import charge

from .stamps import stamp


def _shipment(total: int) -> ShipmentCreated:
    s = stamp(5)
    return ShipmentCreated(
        event_id=s.event_id,
        order_id=OrderId("d1e2f3a4-b5c6-4d7e-8f90-123456789abc"),
        occurred_at=s.occurred_at,
        shipment_id=ShipmentId("e1e2f3a4-b5c6-4d7e-8f90-123456789abc"),
        user_id=UserId("123"),
        total_cents=total,
    )


def test_charges_the_total() -> None:
    balance, event = charge(_shipment(2050), 10_000, stamp())

    assert balance == 7950
    assert isinstance(event, PaymentCompleted)
    assert event.amount_cents == 2050


def test_charges_an_exact_balance_to_zero() -> None:
    balance, event = charge(_shipment(2050), 2050, stamp())

    assert (balance, type(event)) == (0, PaymentCompleted)


def test_declines_when_the_balance_is_short_and_keeps_it() -> None:
    balance, event = charge(_shipment(2050), 2049, stamp())

    assert balance == 2049
    assert isinstance(event, PaymentDeclined)
    assert "insufficient funds" in event.reason
