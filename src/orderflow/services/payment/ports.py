"""What the payment handlers need from storage (PaymentStore, or a fake in tests)."""

from __future__ import annotations

from typing import Protocol

from orderflow.events.ids import OrderId, UserId
from orderflow.events.model import PaymentCompleted, PaymentDeclined


class Payments(Protocol):
    def balance(self, user_id: UserId) -> int: ...
    def paid_already(self, order_id: OrderId) -> bool: ...
    def record(self, outcome: PaymentCompleted | PaymentDeclined, balance_cents: int) -> None: ...
