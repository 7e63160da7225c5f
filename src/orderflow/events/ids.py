"""Identifier types shared by every service and every event."""

from __future__ import annotations

from typing import NewType

OrderId = NewType("OrderId", str)
ItemId = NewType("ItemId", str)
UserId = NewType("UserId", str)
EventId = NewType("EventId", str)
ShipmentId = NewType("ShipmentId", str)
