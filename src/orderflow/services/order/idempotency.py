"""Safe retries of ``POST /order``: an idempotency key stands for one order, for good.

A client that sends ``Idempotency-Key`` and loses the answer (a timeout, a
reset connection) sends the same request again with the same key and gets
the order the first one placed, never a second one. The key is scoped to the
``userId``, as Stripe scopes keys to an account: two users may pick the same
key. It is recorded with the order it placed, in the order's transaction, so
it outlives the process; it is kept as long as the order (no expiry).

The request is recognised by a fingerprint of what it asks for (the user and
the items, in order), not of its bytes: a client that serialises its retry
differently (spacing, member order) still matches, and one that asks for
something else under a used key is told so rather than handed the wrong order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from orderflow.events.ids import OrderId

KEY_MAX_CHARS = 255
"""As Stripe allows; a UUID, the usual key, is 36."""


@dataclass(frozen=True)
class Idempotency:
    """The key a request came with, and the fingerprint of what it asks for."""

    key: str
    fingerprint: bytes


def fingerprint(user_id: str, items: Sequence[str]) -> bytes:
    """SHA-256 of the order the request asks for, the same however its JSON was written."""
    canonical = json.dumps([user_id, list(items)], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).digest()


class KeyHolder(NamedTuple):
    """The order a key already stands for, and the fingerprint it was placed with."""

    order_id: OrderId
    fingerprint: bytes


class Placed(NamedTuple):
    """The order a request stands for; ``replayed`` if an earlier request placed it."""

    order_id: OrderId
    replayed: bool = False


class IdempotencyKeyReused(Exception):
    """The key already stands for an order placed from a different request."""

    def __init__(self, key: str) -> None:
        super().__init__(
            f"Idempotency-Key {key!r} was already used by this userId for an order of"
            " other items; send a new key for a new order"
        )
        self.key = key


def replay(claim: Idempotency, holder: KeyHolder) -> Placed:
    """The answer to a request whose key ``holder`` already holds."""
    if holder.fingerprint != claim.fingerprint:
        raise IdempotencyKeyReused(claim.key)
    return Placed(holder.order_id, replayed=True)
