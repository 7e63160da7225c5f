"""The report built from a made-up run: counts, latencies, hops, resources, series."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orderflow.bench import output, report, summary

from .runs import made_up_run


def test_counts_and_rates() -> None:
    found = report.build(made_up_run())["summary"]

    assert (found["placed"], found["accepted"], found["completed"]) == (10, 9, 8)
    assert found["incomplete"] == 1
    assert found["offered_per_s"] == 10.0
    assert found["accepted_per_s"] == 9.0
    assert found["errors"] == {"HTTP 503": 1}
    assert found["terminal_statuses"] == {"Paid": 8}


def test_latencies_count_from_the_due_time() -> None:
    # Times are epoch seconds, so sums of them carry float noise of about a microsecond.
    latency = report.build(made_up_run(step=0.01))["summary"]["latency_ms"]

    assert latency["post"]["p50"] == pytest.approx(2.0, abs=0.01)
    # Paid occurred four steps after the due time and was visible 5 ms later.
    assert latency["post_to_terminal"]["max"] == pytest.approx(45.0, abs=0.01)
    hops = latency["hops"]
    assert hops["due → Order Created"]["p50"] == pytest.approx(10.0, abs=0.01)
    assert hops["Order Created → Inventory Confirmed"]["p99"] == pytest.approx(10.0, abs=0.01)
    assert hops["Shipped → Paid"]["count"] == 8
    assert hops["Paid → visible in status"]["p50"] == pytest.approx(5.0, abs=0.01)


def test_resources_from_the_samples() -> None:
    used = report.build(made_up_run(cpu_per_s=0.5))["summary"]["resources"]["order"]

    assert used["cpu_s"] == pytest.approx(2.0, abs=0.01)
    assert used["cpu_percent"] == pytest.approx(50.0, abs=0.01)
    assert used["peak_rss_mib"] == pytest.approx(104.0, abs=0.01)
    # A 4 s run compares its first and last second: RSS grew from ~100.5 to ~103.5 MiB.
    assert used["rss_first_mib"] < used["rss_last_mib"]


def test_others_are_the_machine_less_the_components() -> None:
    used = report.build(made_up_run(cpu_per_s=0.5))["summary"]["resources"]["others"]

    assert used["cpu_percent_under_load"] == pytest.approx(150.0)


def test_series_per_second() -> None:
    series = report.build(made_up_run())["series"]

    assert sum(series["accepted_per_s"]) == 9
    assert sum(series["completed_per_s"]) == 8
    assert series["p50_ms"][0] == pytest.approx(45.0, abs=0.01)


def test_summary_names_the_load_the_machine_and_every_hop() -> None:
    text = summary.render(report.build(made_up_run()))

    assert "open loop at 10 orders/s for 1 s" in text
    assert "2 cores (Test CPU)" in text
    assert "| offered | 10 | 10.0 |" in text
    assert "HTTP 503: 1" in text
    assert "| Shipped → Paid | 8 |" in text
    assert "| order | 2.0 | 50 / 50 |" in text


def test_written_folder_has_json_summary_and_plot(tmp_path: Path) -> None:
    built = report.build(made_up_run())

    output.write(built, tmp_path / "run")

    written = json.loads((tmp_path / "run" / output.REPORT).read_text())
    assert written["summary"] == built["summary"]
    assert len(written["orders"]) == 10
    assert (tmp_path / "run" / output.SUMMARY).read_text().startswith("# orderflow bench")
    assert (tmp_path / "run" / output.PLOT).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert output.read(tmp_path / "run") == written
