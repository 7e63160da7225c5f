"""The trace context a batch's emitted events carry: set around the batch, read at the outbox.

Apart from tracing.py so that what the outbox needs loads without OpenTelemetry:
the stores' module is read by the CLI, which must start fast.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

TRACEPARENT = "traceparent"
"""The W3C header (and outbox column) that carries an order's trace."""

_batch_traceparents: ContextVar[Mapping[str, str] | None] = ContextVar(
    "batch_traceparents", default=None
)


@contextmanager
def carrying(traceparents: Mapping[str, str]) -> Iterator[None]:
    """Inside: the events emitted for each order carry its traceparent (by order id)."""
    token = _batch_traceparents.set(traceparents)
    try:
        yield
    finally:
        _batch_traceparents.reset(token)


def batch_traceparents() -> Mapping[str, str]:
    """The traceparent of each order in the batch in hand, by order id."""
    return _batch_traceparents.get() or {}


def trace_id_of(traceparent: str | None) -> str | None:
    """The trace id in a ``traceparent`` header's value, if it is one."""
    if traceparent is None:
        return None
    parts = traceparent.split("-")
    if len(parts) != 4 or len(parts[1]) != 32:
        return None
    return parts[1]
