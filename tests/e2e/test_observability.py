"""Seeing the system, on a supervised system of its own that exports its traces over OTLP.

Every process serves /metrics that parse and move while orders flow; the
Prometheus the stack starts scrapes every one of them; a consumer that stops
falls behind and catches up to a lag of 0; /readyz turns not ready
while the database is down and ready again after; one order is one trace from
the HTTP request through the four topics, with a span from every service.
The database goes down last: what follows a restart of Postgres is chaos's to test.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import httpx
import psycopg
import pytest
from confluent_kafka import Consumer
from prometheus_client.parser import text_string_to_metric_families

from orderflow.chaos.run import own_system
from orderflow.events.ids import ItemId
from orderflow.events.topics import ALL_TOPICS
from orderflow.services import CONSUMERS, SERVICES
from orderflow.services.inventory.stock_admin import set_available
from orderflow.services.payment.service import PAYMENT
from orderflow.settings import Settings
from orderflow.stack import supervised as supervisor
from orderflow.stack.components import EVERYTHING, POSTGRES, component_named
from orderflow.stack.launcher import Launcher
from orderflow.stack.processes import live_process, stop
from orderflow.tools.lag import group_lag
from orderflow.tools.lag_view import total_lag

from .client import detail, place, wait_terminal
from .otlp import Receiver, otlp_receiver
from .system import wait_for

pytestmark = pytest.mark.stack


@contextmanager
def environment(**variables: str) -> Iterator[None]:
    """``variables`` in this process's environment, which the supervisor inherits."""
    before = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value


@pytest.fixture(scope="module")
def otlp() -> Iterator[Receiver]:
    with otlp_receiver() as receiver:
        yield receiver


@pytest.fixture(scope="module")
def observed(otlp: Receiver) -> Iterator[Launcher]:
    with ExitStack() as stack:
        # Only the start needs them: every part is the supervisor's child and keeps them.
        with environment(OTEL_EXPORTER_OTLP_ENDPOINT=otlp.endpoint, OTEL_BSP_SCHEDULE_DELAY="200"):
            launcher = stack.enter_context(own_system(Settings(), lambda _: None))
        yield launcher


@pytest.fixture
def http(observed: Launcher) -> Iterator[httpx.Client]:
    base = f"http://{observed.settings.host}:{observed.settings.order_port}"
    with httpx.Client(base_url=base, timeout=30) as client:
        yield client


def scrape(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample at ``url``, by name and labels; fails if it is not Prometheus text."""
    answer = httpx.get(url, timeout=10)
    assert answer.status_code == 200, f"{url}: {answer.status_code}"
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def total(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str) -> float:
    return sum(value for (found, _), value in samples.items() if found == name)


def test_every_process_serves_metrics_that_move(observed: Launcher, http: httpx.Client) -> None:
    settings = observed.settings
    urls = {c.name: c.metrics(settings) for c in EVERYTHING if c.metrics(settings)}
    assert set(urls) >= {"kafka", "connect", "registry", "prometheus", *(s.name for s in SERVICES)}
    before = {name: scrape(url) for name, url in urls.items() if url}

    orders = [place(http, f"metrics-{uuid.uuid4()}", ["item1"]) for _ in range(5)]
    assert {wait_terminal(http, order_id) for order_id in orders} <= {"Paid", "Inventory Failed"}

    def moved() -> dict[str, dict[tuple[str, tuple[tuple[str, str], ...]], float]] | None:
        after = {name: scrape(url) for name, url in urls.items() if url}
        services_moved = all(
            total(after[s.name], "orderflow_events_total")
            > total(before[s.name], "orderflow_events_total")
            for s in CONSUMERS
        )
        return after if services_moved else None

    after = wait_for("every service's event counter to move", moved, timeout_s=30)
    placed = total(after["order"], "orderflow_orders_placed_total")
    assert placed - total(before["order"], "orderflow_orders_placed_total") == 5
    assert total(after["order"], "orderflow_http_requests_total") > total(
        before["order"], "orderflow_http_requests_total"
    )
    # Measured where the events are consumed: OrderStatusService reads every topic.
    assert total(after["status"], "orderflow_outbox_delay_seconds_count") > total(
        before["status"], "orderflow_outbox_delay_seconds_count"
    )
    # The schema registry is asked for the schemas of the events (by id, once per id and client).
    assert total(after["registry"], "orderflow_http_requests_total") > 0
    # Debezium's own streaming metrics, through Connect's JMX exporter.
    assert total(after["connect"], "debezium_postgres_streaming_events_seen_total") > total(
        before["connect"], "debezium_postgres_streaming_events_seen_total"
    )
    assert any(name.startswith("kafka_") for name, _ in after["kafka"])


def test_prometheus_reports_every_target_up(observed: Launcher) -> None:
    settings = observed.settings
    expected = {c.name for c in EVERYTHING if c.metrics(settings)}
    targets_url = f"http://{settings.host}:{settings.prometheus_port}/api/v1/targets"

    def all_up() -> dict[str, str] | None:
        targets = httpx.get(targets_url, timeout=10).json()["data"]["activeTargets"]
        health = {t["labels"]["job"]: t["health"] for t in targets}
        return health if set(health) == expected and set(health.values()) == {"up"} else None

    health = wait_for("Prometheus to scrape every target", all_up, timeout_s=60, every_s=1)
    assert set(health) == expected


def records_of(settings: Settings, order_id: str, topics: tuple[str, ...]) -> dict[str, str]:
    """The ``traceparent`` header of the order's record on each of ``topics``."""
    consumer = Consumer(
        {
            "bootstrap.servers": settings.kafka_bootstrap,
            "group.id": f"trace-reader-{uuid.uuid4()}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    consumer.subscribe(list(topics))
    found: dict[str, str] = {}

    def every_topic() -> dict[str, str] | None:
        message = consumer.poll(0.5)
        if message is not None and message.error() is None and message.key() == order_id.encode():
            headers = dict(message.headers() or [])
            value = headers.get("traceparent")
            assert isinstance(value, bytes), f"no traceparent on {message.topic()}: {headers}"
            found[str(message.topic())] = value.decode()
        return found if set(found) == set(topics) else None

    try:
        return wait_for(f"order {order_id}'s record on every topic", every_topic, timeout_s=60)
    finally:
        consumer.close()


def test_one_order_is_one_trace_with_a_span_from_every_service(
    observed: Launcher, http: httpx.Client, otlp: Receiver
) -> None:
    order_id = place(http, f"trace-{uuid.uuid4()}", ["item1"])
    assert wait_terminal(http, order_id) == "Paid"
    trace_id = detail(http, order_id)["traceId"]
    assert isinstance(trace_id, str)
    assert len(trace_id) == 32

    headers = records_of(observed.settings, order_id, ALL_TOPICS)
    assert {value.split("-")[1] for value in headers.values()} == {trace_id}
    # Each service continues the trace with a span of its own: no two records share a parent.
    assert len({value.split("-")[2] for value in headers.values()}) == len(ALL_TOPICS)

    expected = {f"orderflow-{s.name}" for s in SERVICES}

    def from_every_service() -> set[str] | None:
        services = {span.service for span in otlp.spans_of(trace_id)}
        return services if services >= expected else None

    wait_for("a span of the order's trace from every service", from_every_service, timeout_s=30)
    spans = otlp.spans_of(trace_id)
    [root] = [s for s in spans if not s.parent_span_id]
    assert (root.service, root.name) == ("orderflow-order", "POST /order")
    ids = {s.span_id for s in spans}
    assert all(s.parent_span_id in ids for s in spans if s is not root), spans


@contextmanager
def frozen(launcher: Launcher, name: str) -> Iterator[None]:
    """``name``'s process stopped (SIGSTOP) and its supervisor too, which would
    otherwise see nothing wrong or restart it; both go on after."""
    processes = [live_process(launcher.layout.pid_file(n)) for n in (supervisor.NAME, name)]
    assert all(processes), f"{name} or the supervisor is not running"
    for process in processes:
        assert process is not None
        process.send_signal(signal.SIGSTOP)
    try:
        yield
    finally:
        for process in reversed(processes):
            assert process is not None
            process.send_signal(signal.SIGCONT)


def lag_gauge(url: str, group: str) -> float | None:
    """The sum of ``orderflow_consumer_lag`` of ``group`` at ``url``; None if none is served."""
    found = [
        value
        for (name, labels), value in scrape(url).items()
        if name == "orderflow_consumer_lag" and ("group", group) in labels
    ]
    return sum(found) if found else None


def test_lag_rises_while_a_consumer_is_stopped_and_returns_to_0(
    observed: Launcher, http: httpx.Client
) -> None:
    settings = observed.settings
    groups = [s.group for s in CONSUMERS]
    payment = component_named(PAYMENT.name)
    payment_metrics = payment.metrics(settings)
    assert payment_metrics is not None

    def lag_of(group: str) -> int:
        return total_lag(group_lag(settings, [group]), group)

    # Every order is to reach the payment service: stock enough for all of them.
    with psycopg.connect(settings.postgres_dsn) as conn:
        set_available(conn, ItemId("item1"), 1000)
    with frozen(observed, PAYMENT.name):
        orders = [place(http, f"lag-{uuid.uuid4()}", ["item1"]) for _ in range(5)]
        behind = wait_for(
            "the payment service's lag to rise",
            lambda: lag_of(PAYMENT.group) or None,
            timeout_s=60,
            every_s=0.5,
        )
        assert 0 < behind <= len(orders)
    assert {wait_terminal(http, order_id) for order_id in orders} == {"Paid"}

    def caught_up() -> dict[str, int] | None:
        lags = {group: lag_of(group) for group in groups}
        return lags if not any(lags.values()) else None

    wait_for("every group's lag to return to 0", caught_up, timeout_s=60, every_s=0.5)
    # The service's own gauge, from librdkafka's statistics every few seconds.
    wait_for(
        "the payment service's lag gauge to read 0",
        lambda: lag_gauge(payment_metrics, PAYMENT.group) == 0 or None,
        timeout_s=30,
        every_s=0.5,
    )


def status(launcher: Launcher) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **launcher.settings.as_env(), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "orderflow", "status"],
        capture_output=True, text=True, env=environment, timeout=120, check=False,
    )  # fmt: skip


def test_status_names_a_paused_connector_and_is_well_once_it_resumes(observed: Launcher) -> None:
    assert status(observed).returncode == 0
    connector = f"{observed.settings.connect_url}/connectors/orderflow-outbox"
    httpx.put(f"{connector}/pause", timeout=10).raise_for_status()
    try:

        def failing() -> subprocess.CompletedProcess[str] | None:
            shown = status(observed)
            return shown if shown.returncode != 0 else None

        shown = wait_for("status to fail on the paused connector", failing, timeout_s=60)
        assert "connector orderflow-outbox: PAUSED" in shown.stdout, shown.stdout
    finally:
        httpx.put(f"{connector}/resume", timeout=10).raise_for_status()

    def well() -> bool | None:
        return status(observed).returncode == 0 or None

    wait_for("status to be well once the connector resumed", well, timeout_s=60, every_s=1)


def readiness(url: str) -> tuple[int, dict[str, object]]:
    answer = httpx.get(url, timeout=10)
    body: dict[str, object] = answer.json()
    return answer.status_code, body


def test_readyz_turns_not_ready_while_the_database_is_down(observed: Launcher) -> None:
    settings = observed.settings
    urls = {s.name: f"http://{settings.host}:{s.port(settings)}/readyz" for s in SERVICES}
    assert {name: readiness(url)[0] for name, url in urls.items()} == dict.fromkeys(urls, 200)

    # Frozen, the supervisor cannot bring Postgres back before we have looked.
    keeper = live_process(observed.layout.pid_file(supervisor.NAME))
    assert keeper is not None
    keeper.send_signal(signal.SIGSTOP)
    try:
        stop(observed.layout.pid_file(POSTGRES.name), POSTGRES.stop_signal, POSTGRES.grace_s)
        for name, url in urls.items():
            status, body = readiness(url)
            assert status == 503, f"{name} still ready without its database: {body}"
            assert body["ready"] is False
            checks = body["checks"]
            assert isinstance(checks, dict)
            assert checks["database"] != "ok", body
            # Only the database is down (the OrderService checks nothing else).
            assert all(why == "ok" for check, why in checks.items() if check != "database"), body
        observed.start(component_named(POSTGRES.name))
    finally:
        keeper.send_signal(signal.SIGCONT)

    def all_ready() -> bool | None:
        return all(readiness(url)[0] == 200 for url in urls.values()) or None

    wait_for("every service to be ready again", all_ready, timeout_s=60, every_s=0.5)
