"""The Grafana dashboard queries metrics our processes serve, through its one data source."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from prometheus_client import REGISTRY

import orderflow.observability.metrics  # noqa: F401  (registers the metrics it defines)

DASHBOARD = Path(__file__).parents[2] / "grafana" / "orderflow-dashboard.json"


def panels() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(DASHBOARD.read_text())["panels"]
    return [panel for panel in found if panel["type"] != "row"]


def served_names() -> set[str]:
    """Every sample name our metrics can have: counters' _total, histograms' _bucket."""
    names: set[str] = set()
    for metric in REGISTRY.collect():
        names.add(metric.name)
        for suffix in ("_total", "_bucket", "_sum", "_count"):
            names.add(metric.name + suffix)
    return names


def test_every_panel_queries_the_chosen_data_source() -> None:
    variables = json.loads(DASHBOARD.read_text())["templating"]["list"]
    assert {"name": "datasource", "type": "datasource", "query": "prometheus"}.items() <= (
        variables[0].items()
    )
    for panel in panels():
        assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == "${datasource}", panel["title"]


def test_the_orderflow_metrics_it_queries_exist() -> None:
    served = served_names()
    queried = {
        name
        for panel in panels()
        for target in panel["targets"]
        for name in re.findall(r"\borderflow_\w+", target["expr"])
    }
    assert queried, "the dashboard queries no orderflow metric"
    assert queried <= served, f"not served: {sorted(queried - served)}"
