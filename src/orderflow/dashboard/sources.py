"""What a snapshot reads: Prometheus, each process's ``/readyz``, Connect, Postgres, and
the dead-letter topic's offsets.

All of it at once (``asyncio.gather``), each with a short timeout, so that a
snapshot takes as long as its slowest source and no longer than ``TIMEOUT_S``;
a source that fails leaves its fields null (snapshot.py) and is logged once, when
it starts failing, not at every snapshot.

``Sources`` holds its connections (one HTTP client, one Postgres connection) while
the dashboard is watched: live.py opens it when the first browser comes and closes
it when the last leaves.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import psycopg
from psycopg.rows import TupleRow

from orderflow.access import kafka_access
from orderflow.dashboard.dead_letters import letters_kept
from orderflow.dashboard.pipeline import Answer
from orderflow.dashboard.prometheus import Prometheus
from orderflow.dashboard.queries import QUERIES
from orderflow.dashboard.snapshot import ONE, Measure, Measured, Reading, RecentOrder
from orderflow.messaging.deadletters import DEAD_LETTER_TOPIC
from orderflow.messaging.service import Declared
from orderflow.settings import Settings
from orderflow.stack import prometheus
from orderflow.stack.connector import ConnectorState
from orderflow.stack.layout import StateLayout
from orderflow.stack.scale import Scale, instance_port, instances_of, read_scale
from orderflow.tools.broker import Broker
from orderflow.tools.errors import ToolError

log = logging.getLogger(__name__)

TIMEOUT_S = 2.0
RECENT_ORDERS = 20
# Newest first: ids are UUIDv7, so the primary key's order is the time of each POST.
_RECENT = (
    "SELECT order_id, user_id, items, status, created_at, updated_at"
    " FROM orders.orders ORDER BY order_id DESC LIMIT %s"
)


def readyz_urls(settings: Settings, service: Declared, scale: Scale) -> list[str]:
    """Where the service's processes answer ``/readyz``: one URL per instance ``scale``
    runs, each on its own port (stack/scale.py)."""
    return [
        f"http://{settings.host}:{instance_port(service.port(settings), instance)}/readyz"
        for instance in range(1, instances_of(scale, service.name) + 1)
    ]


def answer_of(status_code: int, body: Any) -> Answer:
    """A ``/readyz`` answer (observability/readiness.py): ready on 200, else the checks
    that failed, ``database: connection refused; consumer: …``."""
    if status_code == 200:
        return Answer(ready=True)
    checks = body.get("checks") if isinstance(body, dict) else None
    if not isinstance(checks, dict):
        return Answer(False, f"/readyz answered {status_code}")
    failing = [f"{name}: {why}" for name, why in checks.items() if why != "ok"]
    return Answer(False, "; ".join(failing) or f"/readyz answered {status_code}")


def connector_state_of(name: str, body: dict[str, Any]) -> ConnectorState:
    """Connect's ``/connectors/<name>/status`` body, read as stack/connector.py reads it."""
    tasks = body.get("tasks", [])
    traces = [task["trace"] for task in tasks if task.get("trace")]
    trace = body["connector"].get("trace") or (traces[0] if traces else None)
    return ConnectorState(
        name, str(body["connector"]["state"]), tuple(str(t["state"]) for t in tasks), trace
    )


class RecentOrders:
    """The newest orders, on one connection kept open between snapshots and made again
    after it breaks (Postgres restarted, a timeout cut a query short)."""

    def __init__(self, dsn: str) -> None:
        self._dsn = dsn
        self._conn: psycopg.AsyncConnection[TupleRow] | None = None

    async def read(self) -> list[RecentOrder]:
        try:
            if self._conn is None or self._conn.closed:
                self._conn = await psycopg.AsyncConnection.connect(
                    self._dsn, autocommit=True, connect_timeout=int(TIMEOUT_S)
                )
            cursor = await self._conn.execute(_RECENT, (RECENT_ORDERS,))
            rows = await cursor.fetchall()
        except BaseException:  # a cancelled query leaves the connection in doubt, too
            await self.close()
            raise
        return [
            RecentOrder(str(order_id), user, tuple(items), status, created, updated)
            for order_id, user, items, status, created, updated in rows
        ]

    async def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            await conn.close()


class Sources:
    def __init__(
        self,
        settings: Settings,
        client: httpx.AsyncClient,
        services: Sequence[Declared],
        connector_name: str,
        orders: RecentOrders,
        scale: Callable[[], Scale],
    ) -> None:
        self._settings = settings
        self._client = client
        self._prometheus = Prometheus(client, prometheus.url(settings))
        self._services = services
        self._connector_name = connector_name
        self._orders = orders
        # Asked each time: `up --scale` may have changed it since the page opened.
        self._scale = scale
        self._broker: Broker | None = None
        self._failing: set[str] = set()

    async def read(self) -> Reading:
        at = datetime.now(UTC)
        measured, answers, connector, orders, dead_letters = await asyncio.gather(
            self.measured(), self.answers(), self.connector(), self.orders(), self.dead_letters()
        )
        return Reading(at, measured, answers, connector, orders, dead_letters)

    async def measured(self) -> Measured:
        results = await asyncio.gather(
            *(self._prometheus.query(promql) for promql, _ in QUERIES.values()),
            return_exceptions=True,
        )
        measured: dict[Measure, dict[str, float]] = {}
        failed: list[Exception] = []
        for (measure, (_, label)), result in zip(QUERIES.items(), results, strict=True):
            if isinstance(result, Exception):
                failed.append(result)  # PrometheusUnavailable, or an answer we misread
            elif isinstance(result, BaseException):
                raise result
            else:
                measured[measure] = {
                    (s.labels.get(label, ONE) if label else ONE): s.value for s in result
                }
        self._mark("prometheus", failed[0] if failed else None)
        return measured

    async def answers(self) -> dict[str, list[Answer | None]]:
        scale = self._scale()
        found = await asyncio.gather(*(self._answers_of(s, scale) for s in self._services))
        return {s.name: answers for s, answers in zip(self._services, found, strict=True)}

    async def _answers_of(self, service: Declared, scale: Scale) -> list[Answer | None]:
        urls = readyz_urls(self._settings, service, scale)
        return list(await asyncio.gather(*(self._readyz(url) for url in urls)))

    async def _readyz(self, url: str) -> Answer | None:
        try:
            answer = await self._client.get(url, timeout=TIMEOUT_S)
        except httpx.HTTPError:
            return None  # not answering: no instance there
        try:
            body = answer.json()
        except ValueError:
            body = None
        return answer_of(answer.status_code, body)

    async def connector(self) -> ConnectorState | str:
        name = self._connector_name
        url = f"{self._settings.connect_url}/connectors/{name}/status"
        try:
            answer = await self._client.get(url, timeout=TIMEOUT_S)
        except httpx.HTTPError as error:
            self._mark("connect", error)
            return "Kafka Connect does not answer"
        self._mark("connect", None)
        if answer.status_code == 404:
            return f"{name} is not registered in Kafka Connect"
        if answer.status_code != 200:
            return f"Kafka Connect answered {answer.status_code}"
        try:
            return connector_state_of(name, answer.json())
        except (ValueError, KeyError, TypeError):
            return "Kafka Connect's answer about the connector is unreadable"

    async def orders(self) -> list[RecentOrder] | None:
        try:
            orders = await asyncio.wait_for(self._orders.read(), TIMEOUT_S)
        except (psycopg.Error, TimeoutError) as error:
            self._mark("postgres", error)
            return None
        self._mark("postgres", None)
        return orders

    async def dead_letters(self) -> int | None:
        # confluent-kafka's calls block, each bounded by the broker's timeout: in a thread.
        try:
            if self._broker is None:
                self._broker = Broker(kafka_access(self._settings), TIMEOUT_S)
            kept = await asyncio.to_thread(letters_kept, self._broker, DEAD_LETTER_TOPIC)
        except ToolError as error:
            self._mark("kafka", error)
            return None
        self._mark("kafka", None)
        return kept

    def _mark(self, source: str, error: BaseException | None) -> None:
        """Log a source's failure when it starts, and its return."""
        if error is not None and source not in self._failing:
            self._failing.add(source)
            log.warning("dashboard: %s fails, its fields are null: %r", source, error)
        elif error is None and source in self._failing:
            self._failing.discard(source)
            log.info("dashboard: %s answers again", source)


@asynccontextmanager
async def open_sources(
    settings: Settings, services: Sequence[Declared], connector_name: str
) -> AsyncIterator[Sources]:
    orders = RecentOrders(settings.service_dsn(settings.postgres_orders_role))
    async with httpx.AsyncClient(timeout=TIMEOUT_S) as client:
        try:
            yield Sources(
                settings,
                client,
                services,
                connector_name,
                orders,
                lambda: read_scale(StateLayout(settings.state_dir).scale()),
            )
        finally:
            await orders.close()
