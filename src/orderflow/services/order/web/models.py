"""Request and response bodies of the OrderService API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, StrictStr


class PlaceOrder(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"userId": "123", "items": ["item1"]}})

    userId: StrictStr = Field(description="Who orders; a non-empty string.")
    items: list[StrictStr] = Field(description="Item ids from the catalogue, at least one.")


class OrderPlaced(BaseModel):
    orderId: str


class OrderStatus(BaseModel):
    orderId: str
    status: str


class StatusChange(BaseModel):
    status: str
    at: datetime


class OrderDetail(BaseModel):
    orderId: str
    userId: str
    items: list[str]
    totalCents: int
    status: str
    createdAt: datetime
    history: list[StatusChange]


class ErrorBody(BaseModel):
    error: str = Field(description="A stable code, such as unknown_item or not_found.")
    message: str
    field: str | None = Field(description="The request field at fault, if one is.")
