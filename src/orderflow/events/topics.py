"""The four topics of the chain, in chain order, and where their schemas live."""

from __future__ import annotations

from importlib import resources

ORDER_EVENTS = "OrderEventsTopic"
INVENTORY_EVENTS = "InventoryEventsTopic"
SHIPPING_EVENTS = "ShippingEventsTopic"
PAYMENT_EVENTS = "PaymentEventsTopic"

ALL_TOPICS: tuple[str, ...] = (ORDER_EVENTS, INVENTORY_EVENTS, SHIPPING_EVENTS, PAYMENT_EVENTS)


def schema_text(topic: str) -> str:
    """The ``.avsc`` next to this module: the source of truth for the topic's schema."""
    return (resources.files("orderflow.events") / f"{topic}.avsc").read_text(encoding="utf-8")
