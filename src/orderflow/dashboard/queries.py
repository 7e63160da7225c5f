"""The PromQL behind each number of a snapshot, and the label each answer is keyed by.

Windows follow the scrape intervals (stack/prometheus.py): our processes are scraped
every 5 s, so 30 s holds six scrapes, enough for a rate that follows a change within
seconds; the JVMs' JMX exporters every 15 s, so their counters take a 1 m window (a
rate needs two scrapes in its window, and one may be late).

The names are those of observability/metrics.py and stack/*-metrics.yaml; a unit test
checks that each of ours is served.
"""

from __future__ import annotations

from collections.abc import Mapping

from orderflow.dashboard.pipeline import ENTRY_ROUTE, LAG_WINDOW_S
from orderflow.dashboard.snapshot import ONE, Measure

WINDOW = "30s"
JVM_WINDOW = "1m"

_METHOD, _ROUTE = ENTRY_ROUTE
_ENTRY = f'route="{_ROUTE}",method="{_METHOD}"'


def quantile(q: float, bucket: str, by: str = "", matchers: str = "") -> str:
    """The ``q`` quantile of histogram ``bucket`` over the window, per ``by`` label."""
    labels = f", {by}" if by else ""
    selector = f"{bucket}{{{matchers}}}" if matchers else bucket
    return f"histogram_quantile({q}, sum by (le{labels}) (rate({selector}[{WINDOW}])))"


QUERIES: Mapping[Measure, tuple[str, str]] = {
    Measure.HTTP_RATE: (
        f"sum by (service) (rate(orderflow_http_requests_total{{{_ENTRY}}}[{WINDOW}]))",
        "service",
    ),
    Measure.HTTP_P50_S: (
        quantile(0.5, "orderflow_http_request_seconds_bucket", "service", _ENTRY),
        "service",
    ),
    Measure.HTTP_P99_S: (
        quantile(0.99, "orderflow_http_request_seconds_bucket", "service", _ENTRY),
        "service",
    ),
    Measure.HANDLED_RATE: (
        f'sum by (service) (rate(orderflow_events_total{{outcome="handled"}}[{WINDOW}]))',
        "service",
    ),
    Measure.EVENT_P50_S: (quantile(0.5, "orderflow_event_seconds_bucket", "service"), "service"),
    Measure.EVENT_P99_S: (quantile(0.99, "orderflow_event_seconds_bucket", "service"), "service"),
    Measure.LAG: ("sum by (group) (orderflow_consumer_lag)", "group"),
    Measure.LAG_BEFORE: (
        f"sum by (group) (orderflow_consumer_lag offset {LAG_WINDOW_S}s)",
        "group",
    ),
    Measure.TOPIC_RATE: (
        f"sum by (topic) (rate(kafka_server_messages_in_total[{JVM_WINDOW}]))",
        "topic",
    ),
    Measure.OUTBOX_P50_S: (
        quantile(0.5, "orderflow_outbox_delay_seconds_bucket", "topic"),
        "topic",
    ),
    Measure.OUTBOX_P99_S: (
        quantile(0.99, "orderflow_outbox_delay_seconds_bucket", "topic"),
        "topic",
    ),
    Measure.CONNECTOR_RATE: (
        f"sum(rate(debezium_postgres_streaming_events_seen_total[{JVM_WINDOW}]))",
        ONE,
    ),
    Measure.BEHIND_MS: ("max(debezium_postgres_streaming_milliseconds_behind_source)", ONE),
    # Totals of the whole system: none counted yet is 0, once Prometheus answers.
    Measure.PLACED_RATE: (
        f"sum(rate(orderflow_orders_placed_total[{WINDOW}])) or vector(0)",
        ONE,
    ),
    Measure.COMPLETED_RATE: (
        f"sum(rate(orderflow_orders_terminal_total[{WINDOW}])) or vector(0)",
        ONE,
    ),
    Measure.ORDER_P50_S: (quantile(0.5, "orderflow_order_seconds_bucket"), ONE),
    Measure.ORDER_P99_S: (quantile(0.99, "orderflow_order_seconds_bucket"), ONE),
}
