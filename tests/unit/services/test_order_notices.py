"""Status notices between OrderService processes: payloads under Postgres's limit, and
followers woken by them (one order's, or everyone's after a reconnect)."""

from __future__ import annotations

import asyncio
import uuid

from orderflow.services.order.notices import order_ids_in, payloads
from orderflow.services.order.watchers import StatusWatchers


def test_a_few_orders_are_one_payload_read_back_as_their_ids() -> None:
    ids = [str(uuid.uuid4()) for _ in range(3)]

    [payload] = payloads(ids)

    assert sorted(order_ids_in(payload)) == sorted(ids)


def test_an_order_changed_twice_in_a_batch_is_told_once() -> None:
    order_id = str(uuid.uuid4())

    assert payloads([order_id, order_id]) == [order_id]


def test_many_orders_are_split_so_that_no_payload_reaches_8000_bytes() -> None:
    ids = [str(uuid.uuid4()) for _ in range(1000)]

    chunks = payloads(ids)

    assert len(chunks) > 1
    assert all(len(chunk.encode()) < 8000 for chunk in chunks)
    assert sorted(i for chunk in chunks for i in order_ids_in(chunk)) == sorted(ids)


def test_no_orders_no_payload() -> None:
    assert payloads([]) == []


def test_a_notice_wakes_the_followers_of_its_orders_only() -> None:
    async def scenario() -> tuple[bool, bool]:
        watchers = StatusWatchers(asyncio.get_running_loop())
        with watchers.watch("a") as a, watchers.watch("b") as b:
            watchers.notify(order_ids_in("a,c"))
            await asyncio.wait_for(a.wait(), 1)
            return a.is_set(), b.is_set()

    assert asyncio.run(scenario()) == (True, False)


def test_after_a_reconnect_every_follower_is_woken() -> None:
    async def scenario() -> list[bool]:
        watchers = StatusWatchers(asyncio.get_running_loop())
        with watchers.watch("a") as a, watchers.watch("b") as b:
            watchers.notify_all()
            await asyncio.wait_for(asyncio.gather(a.wait(), b.wait()), 1)
            return [a.is_set(), b.is_set()]

    assert asyncio.run(scenario()) == [True, True]
