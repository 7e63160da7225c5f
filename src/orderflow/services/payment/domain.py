"""The payment decision: charge the order total, or decline when the balance is short.

Also the view it reads (``PaymentsView``) and the change it makes (``Charge``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from orderflow.events.ids import OrderId, UserId
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


@dataclass(frozen=True)
class Charge:
    """A payment settled, completed or declined, and the user's balance after it."""

    outcome: PaymentCompleted | PaymentDeclined
    balance_cents: int


@dataclass
class PaymentsView:
    """Some users' balances and which of some orders are settled already."""

    default_balance_cents: int
    balances: dict[UserId, int] = field(default_factory=dict)
    settled: set[OrderId] = field(default_factory=set)

    def balance(self, user_id: UserId) -> int:
        """A user with no account yet starts at the default balance."""
        return self.balances.get(user_id, self.default_balance_cents)

    def fold(self, change: Charge) -> None:
        self.balances[change.outcome.user_id] = change.balance_cents
        self.settled.add(change.outcome.order_id)
