"""The declared services, in the order of the chain: order → inventory → shipping → payment.

Everything that needs to know which services there are (the CLI, the
launcher, chaos, bench, the in-memory system) reads ``SERVICES``.
"""

from __future__ import annotations

from orderflow.messaging.service import AnyService
from orderflow.services.inventory.service import INVENTORY
from orderflow.services.order.service import ORDER
from orderflow.services.payment.service import PAYMENT
from orderflow.services.shipping.service import SHIPPING

SERVICES: tuple[AnyService, ...] = (ORDER, INVENTORY, SHIPPING, PAYMENT)


def service_named(name: str) -> AnyService:
    """The declared service called ``name``; ValueError naming the others if none is."""
    for service in SERVICES:
        if service.name == name:
            return service
    known = ", ".join(s.name for s in SERVICES)
    raise ValueError(f"no service {name!r}; one of {known}")
