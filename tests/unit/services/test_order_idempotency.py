"""An idempotency key's fingerprint and replay, as pure functions."""

from __future__ import annotations

import pytest

from orderflow.events.ids import OrderId
from orderflow.services.order.idempotency import (
    Idempotency,
    IdempotencyKeyReused,
    KeyHolder,
    Placed,
    fingerprint,
    replay,
)

HOLDER = OrderId("0193a4c2-0000-7000-8000-000000000001")


def test_the_fingerprint_is_of_the_user_and_the_items_in_order() -> None:
    one = fingerprint("u", ["item1", "item2"])

    assert fingerprint("u", ("item1", "item2")) == one
    assert fingerprint("u", ["item2", "item1"]) != one
    assert fingerprint("v", ["item1", "item2"]) != one
    assert fingerprint("u", ["item1", "item2", "item2"]) != one
    assert len(one) == 32  # SHA-256


def test_the_fingerprint_cannot_be_forged_by_moving_text_between_fields() -> None:
    assert fingerprint("a", ["b,c"]) != fingerprint("a", ["b", "c"])
    assert fingerprint('a",["b', []) != fingerprint("a", ["b"])


def test_a_replay_of_the_same_order_answers_the_holder() -> None:
    claim = Idempotency("k", fingerprint("u", ["item1"]))

    assert replay(claim, KeyHolder(HOLDER, claim.fingerprint)) == Placed(HOLDER, replayed=True)


def test_a_replay_of_another_order_is_refused_naming_the_key() -> None:
    claim = Idempotency("k-7", fingerprint("u", ["item1"]))

    with pytest.raises(IdempotencyKeyReused, match="'k-7'"):
        replay(claim, KeyHolder(HOLDER, fingerprint("u", ["item2"])))
