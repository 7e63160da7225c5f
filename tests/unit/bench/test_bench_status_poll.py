"""--status-poll: each order's client asks GET /order/status until the order is terminal.

The OrderService here is a tiny aiohttp app on a loopback port that answers a
script of statuses; the report counts the client's latency from the due time.
"""

from __future__ import annotations

import asyncio
import dataclasses

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from orderflow.bench.clock import Clock
from orderflow.bench.options import Options
from orderflow.bench.placing import StatusPoll
from orderflow.bench.report import build

from .runs import made_up_run


def scripted(answers: list[tuple[int, str | None]]) -> tuple[web.Application, list[str]]:
    """Answers GET /order/status with the next (HTTP status, order status) of the script,
    the last one for ever; and the order ids it was asked about."""
    asked: list[str] = []

    async def status(request: web.Request) -> web.Response:
        asked.append(request.query["orderId"])
        code, found = answers[min(len(asked), len(answers)) - 1]
        body = {"orderId": request.query["orderId"], "status": found} if found else {}
        return web.json_response(body, status=code)

    app = web.Application()
    app.router.add_get("/order/status", status)
    return app, asked


async def poll_once(app: web.Application, poll: StatusPoll) -> tuple[float | None, int]:
    async with (
        TestServer(app) as server,
        aiohttp.ClientSession(base_url=str(server.make_url(""))) as client,
    ):
        return await poll.until_terminal(client, "order-1", Clock())


def test_the_client_polls_until_it_reads_a_terminal_status() -> None:
    app, asked = scripted([(404, None), (200, "Order Created"), (200, "Shipped"), (200, "Paid")])

    seen_at, polls = asyncio.run(poll_once(app, StatusPoll(every_s=0.01, give_up_s=10)))

    assert polls == 4
    assert seen_at is not None
    assert asked == ["order-1"] * 4


def test_a_status_that_never_ends_is_given_up_on() -> None:
    app, _ = scripted([(200, "Shipped")])

    seen_at, polls = asyncio.run(poll_once(app, StatusPoll(every_s=0.01, give_up_s=0.05)))

    assert seen_at is None
    assert 1 <= polls <= 6


def test_the_report_counts_the_polled_latency_from_the_due_time() -> None:
    run = made_up_run()
    polled = [
        dataclasses.replace(p, seen_terminal_at=p.scheduled_at + 0.1, status_polls=3)
        if p.order_id
        else p
        for p in run.placements
    ]

    summary = build(dataclasses.replace(run, placements=polled))["summary"]

    seen = summary["latency_ms"]["post_to_seen_terminal"]
    assert seen["count"] == 9
    assert seen["p50"] == pytest.approx(100.0)
    assert summary["status_polls"] == 27


def test_without_polling_there_is_no_polled_latency() -> None:
    summary = build(made_up_run())["summary"]

    assert summary["latency_ms"]["post_to_seen_terminal"] is None
    assert summary["status_polls"] == 0


def test_a_polling_interval_must_be_above_zero() -> None:
    with pytest.raises(ValueError, match="polling interval"):
        Options(rate=10, status_poll=0)
    assert Options(rate=10, status_poll=0.05).status_poll == 0.05
