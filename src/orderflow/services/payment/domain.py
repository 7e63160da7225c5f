"""The payment decision: charge the order total, or decline when the balance is short."""

from __future__ import annotations

from orderflow.events.model import PaymentCompleted, PaymentDeclined, ShipmentCreated
from orderflow.events.stamp import Stamp


def charge(
    shipment: ShipmentCreated, balance_cents: int, stamp: Stamp
) -> tuple[int, PaymentCompleted | PaymentDeclined]:
    """The balance after charging ``shipment``'s order total, and what happened."""
    amount = shipment.total_cents
    if balance_cents < amount:
        return balance_cents, PaymentDeclined(
            event_id=stamp.event_id,
            order_id=shipment.order_id,
            occurred_at=stamp.occurred_at,
            user_id=shipment.user_id,
            amount_cents=amount,
            reason=f"insufficient funds: balance {balance_cents} < total {amount} (cents)",
        )
    return balance_cents - amount, PaymentCompleted(
        event_id=stamp.event_id,
        order_id=shipment.order_id,
        occurred_at=stamp.occurred_at,
        user_id=shipment.user_id,
        amount_cents=amount,
    )
