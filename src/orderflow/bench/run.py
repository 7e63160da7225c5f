"""One benchmark run against the running system in ``Settings``."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid

import aiohttp
import psycopg

from orderflow.bench import machine
from orderflow.bench.clock import Clock
from orderflow.bench.following import Follower
from orderflow.bench.options import Options
from orderflow.bench.placing import StatusPoll, closed_loop, open_loop, sender
from orderflow.bench.prepare import bench_users, prepare
from orderflow.bench.report import Run
from orderflow.bench.resources import Sampler, find_components
from orderflow.settings import Settings


def base_url(settings: Settings) -> str:
    return f"http://{settings.host}:{settings.order_port}"


def run_bench(settings: Settings, options: Options) -> Run:
    users = bench_users(uuid.uuid4().hex[:8], options.users)
    if options.prepare:
        prepare(settings.postgres_dsn, options.items, users)
    with Sampler(find_components(settings)) as sampler:
        run = asyncio.run(_load(settings, options, users))
    return dataclasses.replace(run, samples=sampler.samples)


async def _load(settings: Settings, options: Options, users: list[str]) -> Run:
    clock = Clock()

    def payload(index: int) -> dict[str, object]:
        return {"userId": users[index % len(users)], "items": options.items}

    conn = await psycopg.AsyncConnection.connect(settings.postgres_dsn, autocommit=True)
    async with conn:
        follower = Follower(conn, options.poll_interval)
        async with aiohttp.ClientSession(
            base_url=base_url(settings),
            connector=aiohttp.TCPConnector(limit=options.connections),
            timeout=aiohttp.ClientTimeout(total=options.timeout),
        ) as client:
            poll = (
                None
                if options.status_poll is None
                else StatusPoll(options.status_poll, give_up_s=options.duration + options.drain)
            )
            send = sender(client, payload, clock, follower.track, poll)
            stop = asyncio.Event()
            following = asyncio.create_task(follower.follow(stop))
            started_at = clock.now()
            if options.rate is not None:
                placements = await open_loop(send, options.rate, options.duration)
            else:
                assert options.concurrency is not None
                placements = await closed_loop(send, options.concurrency, options.duration)
            stop.set()
            await following
        await follower.drain(options.drain)
        accepted = [p.order_id for p in placements if p.order_id is not None]
        two_terminal = await follower.count_two_terminal(accepted)
    return Run(
        mode=options.mode,
        options=options.as_dict(),
        machine=machine.describe(),
        started_at=started_at,
        duration_s=options.duration,
        placements=placements,
        finished=follower.finished,
        samples=[],
        two_terminal=two_terminal,
    )
