"""What OrderStatusService decides when an event arrives: move the order's status on."""

from __future__ import annotations

import uuid

from orderflow.events.model import EVENT_TYPES, Event
from orderflow.events.stamp import Stamp
from orderflow.messaging.decision import Decision, Handlers, NotYetVisible, on
from orderflow.services.order.projection import Advance, StatusView
from orderflow.services.order.status import advance


class UnknownOrder(NotYetVisible):
    """An event names an order this service does not know (yet, or ever)."""


def record_progress(event: Event, view: StatusView, _stamp: Stamp) -> Decision[Advance]:
    try:
        uuid.UUID(event.order_id)
    except ValueError:
        raise ValueError(f"orderId {event.order_id!r} is not a uuid") from None
    tracked = view.tracked.get(event.order_id)
    if tracked is None:
        raise UnknownOrder(f"no order {event.order_id}")
    progress = advance(tracked.status, tracked.facts, type(event))
    if progress.facts == tracked.facts:
        return Decision()
    return Decision((Advance(event.order_id, progress, event.occurred_at),))


# Every event type moves an order's status on, or at least adds to what it has seen.
HANDLERS = Handlers[StatusView, Advance](*(on(t, record_progress) for t in EVENT_TYPES))
