"""OrderService, declared: the HTTP API, and OrderStatusService consuming every topic.

The status projection runs inside the OrderService process, as in the
original, on a thread of its own with a consumer group of its own; its state
(each order's status) lives in the `orders` schema beside the orders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from orderflow.events.model import OrderCreated
from orderflow.events.topics import ALL_TOPICS
from orderflow.messaging.service import AnyService, Consume, HttpFront, Service
from orderflow.services.order.handlers import HANDLERS
from orderflow.services.order.projection import Advance, StatusView
from orderflow.services.order.status_store import StatusStore

if TYPE_CHECKING:
    from orderflow.events.codec import EventCodec
    from orderflow.observability.readiness import Readiness
    from orderflow.settings import Settings


def _serve(
    service: AnyService,
    settings: Settings,
    codec: EventCodec,
    consume: Consume,
    readiness: Readiness,
) -> None:
    # Imported here: FastAPI and uvicorn load in the process that serves, not in the CLI.
    from orderflow.services.order.server import serve

    serve(service, settings, codec, consume, readiness)


ORDER = Service[StatusView, Advance](
    name="order",
    title="OrderService",
    group="order-status-service",
    topics=ALL_TOPICS,
    schema="orders",
    role=lambda settings: settings.postgres_orders_role,
    handlers=HANDLERS,
    store=lambda cur, _settings: StatusStore(cur),
    initial=lambda _settings: StatusView(),
    port=lambda settings: settings.order_port,
    http=HttpFront(serve=_serve),
    emits=(OrderCreated,),  # by POST /order, in the order's transaction
)
