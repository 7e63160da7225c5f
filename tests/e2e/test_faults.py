"""Services stopped, restarted and killed with -9 in the middle of orders."""

from __future__ import annotations

import signal
import uuid

import httpx
import pytest

from .client import detail, place, query, status, wait_status, wait_terminal
from .system import System

pytestmark = pytest.mark.stack


def test_status_survives_an_order_service_restart(system: System, http: httpx.Client) -> None:
    order_id = place(http, f"user-{uuid.uuid4()}", ["item1"])
    assert wait_terminal(http, order_id) == "Paid"
    before = detail(http, order_id)

    # A clean exit on SIGTERM; uvicorn re-raises the signal once it has shut down.
    assert system.stop("order") in (0, -signal.SIGTERM)
    system.start("order")

    assert status(http, order_id) == "Paid"
    assert detail(http, order_id) == before


def test_an_order_waits_for_a_stopped_service(system: System, http: httpx.Client) -> None:
    system.stop("payment")
    try:
        order_id = place(http, f"user-{uuid.uuid4()}", ["item1"])
        wait_status(http, order_id, "Shipped")
    finally:
        system.start("payment")

    assert wait_terminal(http, order_id) == "Paid"


@pytest.mark.parametrize("service", ["inventory", "shipping", "payment"])
def test_sigterm_finishes_the_batch_in_hand(
    system: System, http: httpx.Client, service: str
) -> None:
    user = f"user-{uuid.uuid4()}"
    orders = [place(http, user, ["item2"]) for _ in range(10)]

    assert system.stop(service) == 0
    system.start(service)

    assert {wait_terminal(http, order_id) for order_id in orders} == {"Paid"}
    paid = query(system.settings, "SELECT count(*) FROM payment.payments WHERE user_id = %s", user)
    assert paid == [(10,)]


@pytest.mark.parametrize("service", ["order", "inventory", "shipping", "payment"])
def test_killed_mid_flight_every_order_completes_once(
    system: System, http: httpx.Client, service: str
) -> None:
    user = f"user-{uuid.uuid4()}"
    orders = [place(http, user, ["item1"]) for _ in range(25)]

    system.stop(service, signal.SIGKILL)
    system.start(service)

    assert {wait_terminal(http, order_id, timeout_s=90) for order_id in orders} == {"Paid"}
    s = system.settings
    held = query(s, "SELECT count(*) FROM inventory.reservations WHERE order_id = ANY(%s)", orders)
    shipped = query(s, "SELECT count(*) FROM shipping.shipments WHERE order_id = ANY(%s)", orders)
    paid = query(s, "SELECT sum(amount_cents) FROM payment.payments WHERE user_id = %s", user)
    balance = query(s, "SELECT balance_cents FROM payment.accounts WHERE user_id = %s", user)
    assert held == shipped == [(25,)]
    assert paid == [(25 * 1250,)]
    assert balance == [(s.payment_default_balance_cents - 25 * 1250,)]
