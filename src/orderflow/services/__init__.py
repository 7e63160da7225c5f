"""The declared services: the OrderService, then the chain's consumers in its order
(inventory → shipping → payment), then OrderStatusService, which follows them all.

Everything that needs to know which services there are (the CLI, the
launcher, chaos, bench, the in-memory system) reads ``SERVICES``, or
``CONSUMERS`` where only a consumer group will do.
"""

from __future__ import annotations

from orderflow.messaging.service import AnyService, Declared, Service
from orderflow.services.inventory.service import INVENTORY
from orderflow.services.order.service import ORDER, STATUS
from orderflow.services.payment.service import PAYMENT
from orderflow.services.shipping.service import SHIPPING

SERVICES: tuple[Declared, ...] = (ORDER, INVENTORY, SHIPPING, PAYMENT, STATUS)
CONSUMERS: tuple[AnyService, ...] = tuple(s for s in SERVICES if isinstance(s, Service))


def service_named(name: str) -> Declared:
    """The declared service called ``name``; ValueError naming the others if none is."""
    for service in SERVICES:
        if service.name == name:
            return service
    known = ", ".join(s.name for s in SERVICES)
    raise ValueError(f"no service {name!r}; one of {known}")
