"""Kafka's and Connect's JMX exporters answer in Prometheus's text format, and the
stack's own Prometheus scrapes them."""

from __future__ import annotations

import uuid

import httpx
import psycopg
import pytest
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from orderflow.settings import Settings
from orderflow.stack import prometheus
from orderflow.stack.components import CONNECT, KAFKA, PROMETHEUS
from orderflow.stack.connector import outbox_connector
from orderflow.stack.launcher import Launcher
from orderflow.stack.waiting import wait_until

pytestmark = pytest.mark.stack


def scrape(url: str | None) -> list[Sample]:
    assert url is not None
    answer = httpx.get(url, timeout=10)
    assert answer.status_code == 200
    # The parser raises on anything that is not Prometheus's text format.
    families = text_string_to_metric_families(answer.text)
    return [sample for family in families for sample in family.samples]


def values(samples: list[Sample], name: str, **labels: str) -> list[float]:
    return [
        sample.value
        for sample in samples
        if sample.name == name and labels.items() <= sample.labels.items()
    ]


def test_kafka_serves_broker_and_jvm_metrics(stack: Settings) -> None:
    samples = scrape(KAFKA.metrics(stack))

    # Connect's worker has written its config topic by the time the stack is up.
    assert values(samples, "kafka_server_messages_in_total", topic="_connect-configs")
    assert values(samples, "kafka_server_under_replicated_partitions") == [0.0]
    [partitions] = values(samples, "kafka_server_partitions")
    assert partitions > 0
    assert values(samples, "kafka_network_request_total_time_ms", request="Produce")
    assert values(samples, "jvm_memory_used_bytes", area="heap")
    assert values(samples, "jvm_gc_collection_seconds_count")


def test_connect_serves_its_connector_and_debezium_s_streaming(stack: Settings) -> None:
    connector, config = outbox_connector(stack)
    server = config["topic.prefix"]
    samples = scrape(CONNECT.metrics(stack))

    assert values(samples, "kafka_connect_connector_status", connector=connector) == [1.0]
    assert values(samples, "kafka_connect_task_status", connector=connector, status="running")
    assert values(samples, "debezium_postgres_streaming_connected", server=server) == [1.0]
    assert values(samples, "debezium_postgres_streaming_milliseconds_behind_source", server=server)
    assert values(samples, "debezium_postgres_streaming_queue_remaining_capacity", server=server)

    seen = "debezium_postgres_streaming_events_seen_total"
    [before] = values(samples, seen, server=server)
    write_outbox_row(stack)
    assert wait_until(
        lambda: values(scrape(CONNECT.metrics(stack)), seen, server=server)[0] > before,
        timeout_s=30,
        interval_s=1.0,
    ), "Debezium's count of events seen did not move after an outbox row"


def test_connect_skips_the_outbox_row_s_delete_before_the_router(stack: Settings) -> None:
    # Every outbox row is deleted as soon as it is inserted; the event router would
    # drop the delete, so Debezium must not build and poll it in the first place.
    connector, _ = outbox_connector(stack)
    polled, written = (
        "kafka_connect_source_records_poll_total",
        "kafka_connect_source_records_write_total",
    )

    def counts() -> tuple[float, float]:
        samples = scrape(CONNECT.metrics(stack))
        [poll] = values(samples, polled, connector=connector)
        [write] = values(samples, written, connector=connector)
        return poll, write

    poll_before, write_before = counts()
    rows = 5
    for _ in range(rows):
        write_outbox_row(stack)

    # Totals, not growths: nothing the connector polls is dropped, so once nothing is
    # in flight the totals are equal; a record in flight when counting began would
    # leave the two growths one apart for good.
    def settled() -> bool:
        poll, write = counts()
        return write - write_before >= rows and poll == write

    assert wait_until(settled, timeout_s=30, interval_s=1.0), (
        f"records polled and written since the rows: {counts()} against"
        f" {(poll_before, write_before)}"
    )


def test_prometheus_of_the_stack_scrapes_kafka_and_connect(stack: Settings) -> None:
    assert Launcher(stack).running(PROMETHEUS)
    assert PROMETHEUS.healthy(stack)

    # A job's first scrape comes within its interval (15 s for the JVMs) of the start.
    assert wait_until(
        lambda: {"kafka", "connect"} <= jobs_up(stack), timeout_s=60, interval_s=1.0
    ), f"targets up: {sorted(jobs_up(stack))}"


def jobs_up(settings: Settings) -> set[str]:
    answer = httpx.get(f"{prometheus.url(settings)}/api/v1/targets", timeout=5)
    answer.raise_for_status()
    targets = answer.json()["data"]["activeTargets"]
    return {target["labels"]["job"] for target in targets if target["health"] == "up"}


def write_outbox_row(settings: Settings) -> None:
    """One outbox row, deleted in its own transaction: Debezium reads the insert from the WAL."""
    event_id = uuid.uuid4()
    topic = f"Probe-metrics-{event_id.hex[:8]}"
    with psycopg.connect(settings.postgres_dsn) as conn, conn.transaction():
        conn.execute(
            "INSERT INTO orders.outbox (id, aggregate_type, aggregate_id, event_type, payload)"
            " VALUES (%s, %s, %s, %s, %s)",
            (event_id, topic, "k", "ProbeHappened", b"x"),
        )
        conn.execute("DELETE FROM orders.outbox WHERE id = %s", (event_id,))
