"""OrderService and OrderStatusService, declared: they share the `orders` schema.

The OrderService answers HTTP (it places orders, each with its OrderCreated in
the outbox, and reads their statuses); OrderStatusService follows every topic
and moves each order's status on. The original ran both in one process; here
each is a process of its own (and each scales: ``--scale order=2 --scale
status=2``), so the projection's batches and the API's requests do not share a
GIL, and a client following an order learns of its changes through Postgres
(notices.py) whichever OrderService process it reached.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from orderflow.events.model import OrderCreated
from orderflow.events.topics import ALL_TOPICS
from orderflow.messaging.service import HttpService, Service
from orderflow.services.order.handlers import HANDLERS
from orderflow.services.order.projection import Advance, StatusView
from orderflow.services.order.status_store import StatusStore

if TYPE_CHECKING:
    from orderflow.events.codec import EventCodec
    from orderflow.observability.readiness import Readiness
    from orderflow.settings import Settings


def _serve(
    service: HttpService, settings: Settings, codec: EventCodec, readiness: Readiness
) -> None:
    # Imported here: FastAPI and uvicorn load in the process that serves, not in the CLI.
    from orderflow.services.order.server import serve

    serve(service, settings, codec, readiness)


ORDER = HttpService(
    name="order",
    title="OrderService",
    schema="orders",
    role=lambda settings: settings.postgres_orders_role,
    port=lambda settings: settings.order_port,
    serve=_serve,
    emits=(OrderCreated,),  # by POST /order, in the order's transaction
)

STATUS = Service[StatusView, Advance](
    name="status",
    title="OrderStatusService",
    group="order-status-service",
    topics=ALL_TOPICS,
    schema="orders",
    role=lambda settings: settings.postgres_orders_role,
    handlers=HANDLERS,
    store=lambda cur, _settings: StatusStore(cur),
    initial=lambda _settings: StatusView(),
    port=lambda settings: settings.status_port,
)
