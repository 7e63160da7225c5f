"""Status notices on a real Postgres: a listener hears the orders of a committed
transaction, and nothing of one rolled back."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable, Iterator

import psycopg
import pytest

from orderflow.services.order.notices import CHANNEL, NOTIFY, listen, payloads
from orderflow.services.order.service import ORDER
from orderflow.settings import Settings
from orderflow.stack.waiting import wait_until

pytestmark = pytest.mark.stack


class Heard:
    def __init__(self) -> None:
        self.ids: list[str] = []

    def changed(self, order_ids: Iterable[str]) -> None:
        self.ids.extend(order_ids)


@pytest.fixture
def heard(stack: Settings) -> Iterator[Heard]:
    dsn = stack.service_dsn(ORDER.role(stack))
    heard, stop = Heard(), threading.Event()
    thread = threading.Thread(target=listen, args=(dsn, heard.changed, lambda: None, stop))
    thread.start()
    # The listener is on once a notice sent now reaches it.
    probe = str(uuid.uuid4())
    with psycopg.connect(dsn, autocommit=True) as conn:
        assert wait_until(
            lambda: conn.execute(NOTIFY, (CHANNEL, probe)) is not None and probe in heard.ids,
            30,
            interval_s=0.1,
        )
    heard.ids.clear()
    try:
        yield heard
    finally:
        stop.set()
        thread.join(timeout=10)


def test_the_orders_of_a_committed_transaction_are_heard(stack: Settings, heard: Heard) -> None:
    ids = [str(uuid.uuid4()) for _ in range(400)]  # more than one payload's worth
    with psycopg.connect(stack.service_dsn(ORDER.role(stack))) as conn:
        for payload in payloads(ids):
            conn.execute(NOTIFY, (CHANNEL, payload))
        assert not set(ids) & set(heard.ids)  # not before the commit
    # Only ours: a late probe of the fixture's may come too.
    assert wait_until(lambda: set(ids) <= set(heard.ids), 10, interval_s=0.05)
    assert len([i for i in heard.ids if i in set(ids)]) == len(ids)


def test_a_rolled_back_transaction_is_not_heard(stack: Settings, heard: Heard) -> None:
    dsn = stack.service_dsn(ORDER.role(stack))
    rolled_back, committed = str(uuid.uuid4()), str(uuid.uuid4())
    with psycopg.connect(dsn) as conn:
        conn.execute(NOTIFY, (CHANNEL, rolled_back))
        conn.rollback()
        conn.execute(NOTIFY, (CHANNEL, committed))

    assert wait_until(lambda: committed in heard.ids, 10, interval_s=0.05)
    assert rolled_back not in heard.ids
