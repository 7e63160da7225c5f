"""Every number of a snapshot has its query, and each query names metrics that exist:
ours as prometheus-client registers them, the JVMs' as their exporters' rules name them."""

from __future__ import annotations

import re
from pathlib import Path

from prometheus_client import REGISTRY

import orderflow.observability.metrics  # registers the metrics it defines
from orderflow.dashboard.queries import QUERIES
from orderflow.dashboard.snapshot import Measure

STACK = Path(orderflow.observability.metrics.__file__).parents[1] / "stack"


def served_names() -> set[str]:
    names: set[str] = set()
    for metric in REGISTRY.collect():
        for suffix in ("", "_total", "_bucket", "_sum", "_count"):
            names.add(metric.name + suffix)
    return names


def exported_names() -> set[str]:
    rules = "".join(path.read_text() for path in STACK.glob("*-metrics.yaml"))
    return set(re.findall(r"^\s+name: (\w+)$", rules, flags=re.MULTILINE))


def test_every_measure_has_one_query() -> None:
    assert set(QUERIES) == set(Measure)


def test_every_metric_a_query_names_is_served() -> None:
    known = served_names() | exported_names()
    for promql, _label in QUERIES.values():
        for name in re.findall(r"\b((?:orderflow|kafka|debezium)_\w+)", promql):
            assert name in known, f"{name} in {promql}"


def test_the_jvm_counters_are_rated_over_a_minute_and_ours_over_30_seconds() -> None:
    for promql, _label in QUERIES.values():
        for name, window in re.findall(r"rate\((\w+)(?:\{[^}]*\})?\[(\w+)\]\)", promql):
            expected = "30s" if name.startswith("orderflow_") else "1m"
            assert window == expected, promql
