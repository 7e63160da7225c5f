"""Request and response bodies of the OrderService API."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictStr

# Bounds on what one order may carry, so that a client cannot make us store,
# log or echo megabytes (the body limit alone still allows thousands of items).
USER_ID_MAX_CHARS = 200
ITEM_ID_MAX_CHARS = 100
ITEMS_MAX = 100


def _storable(value: str) -> str:
    # Postgres text refuses NUL, and a lone surrogate cannot be encoded as UTF-8
    # for Postgres or Avro: refused here, they would be a 500 further down.
    if "\x00" in value:
        raise ValueError("must not contain a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text (no lone surrogates)") from None
    return value


Text = Annotated[StrictStr, AfterValidator(_storable)]

IDEMPOTENCY_KEY = "Idempotency-Key"
# RFC 8941's sf-string: printable ASCII in double quotes, with \" and \\ escaped.
_SF_STRING = re.compile(r'"((?:[ !#-\[\]-~]|\\["\\])*)"')
_PRINTABLE = re.compile(r"[ -~]+")


def _idempotency_key(value: str) -> str:
    # The IETF draft sends the key as a Structured Field string ("8e03978e-…"),
    # Stripe-style clients send it bare (8e03978e-…): both are one key.
    quoted = _SF_STRING.fullmatch(value)
    if quoted is not None:
        value = re.sub(r'\\(["\\])', r"\1", quoted.group(1))
    elif value.startswith('"'):
        raise ValueError('a quoted key must end with " and escape " and \\ with \\')
    elif _PRINTABLE.fullmatch(value) is None:
        raise ValueError("must be printable ASCII characters")
    if not value:
        raise ValueError("must not be empty")
    return value


IdempotencyKey = Annotated[StrictStr, AfterValidator(_idempotency_key)]


class PlaceOrder(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"userId": "123", "items": ["item1"]}})

    userId: Annotated[Text, Field(max_length=USER_ID_MAX_CHARS)] = Field(
        description="Who orders; a non-empty string."
    )
    items: list[Annotated[Text, Field(max_length=ITEM_ID_MAX_CHARS)]] = Field(
        max_length=ITEMS_MAX, description="Item ids from the catalogue, at least one."
    )


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
    traceId: str | None = Field(
        description="The OpenTelemetry trace of the order's journey through every service."
    )


class ErrorBody(BaseModel):
    error: str = Field(description="A stable code, such as unknown_item or not_found.")
    message: str
    field: str | None = Field(description="The request field at fault, if one is.")
