"""The traceparent a batch's emitted events carry (carrying, batch_traceparents), trace_id_of."""

from __future__ import annotations

import threading

import pytest

from orderflow.observability.trace_context import batch_traceparents, carrying, trace_id_of

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"


def test_trace_id_of_a_traceparent_is_its_second_field() -> None:
    assert trace_id_of(TRACEPARENT) == TRACE_ID


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "garbage",
        TRACE_ID,
        f"00-{TRACE_ID}-00f067aa0ba902b7",  # three fields
        f"00-{TRACE_ID}-00f067aa0ba902b7-01-extra",
        "00-4bf92f3577b34da6-00f067aa0ba902b7-01",  # a 64-bit trace id
    ],
)
def test_trace_id_of_something_else_is_none(value: str | None) -> None:
    assert trace_id_of(value) is None


def test_outside_a_batch_no_order_carries_a_traceparent() -> None:
    assert batch_traceparents() == {}


def test_carrying_sets_the_traceparents_inside_and_restores_them_after() -> None:
    with carrying({"order-1": TRACEPARENT}):
        assert batch_traceparents() == {"order-1": TRACEPARENT}

    assert batch_traceparents() == {}


def test_carrying_nested_restores_the_outer_batch() -> None:
    with carrying({"order-1": "outer"}):
        with carrying({"order-2": "inner"}):
            assert batch_traceparents() == {"order-2": "inner"}
        assert batch_traceparents() == {"order-1": "outer"}


def test_carrying_restores_after_an_exception() -> None:
    with pytest.raises(ValueError, match="in the batch"), carrying({"order-1": TRACEPARENT}):
        raise ValueError("in the batch")

    assert batch_traceparents() == {}


def test_another_thread_does_not_see_this_threads_batch() -> None:
    seen: list[object] = []

    with carrying({"order-1": TRACEPARENT}):
        other = threading.Thread(target=lambda: seen.append(dict(batch_traceparents())))
        other.start()
        other.join()

    assert seen == [{}]
