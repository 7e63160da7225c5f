"""`orderflow bench` as a user runs it, for a few seconds at a tiny rate.

A smoke test of the instrument: it runs, writes its report, and follows every
order it placed to the end. Timings are not asserted; they depend on the machine.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orderflow.bench import output
from orderflow.cli import app

from ..system import System

pytestmark = pytest.mark.stack


def test_bench_follows_every_order_and_writes_its_report(system: System, tmp_path: Path) -> None:
    folder = tmp_path / "report"
    command = ["bench", "--rate", "5", "--duration", "3", "--users", "3"]
    # The drain is a bound, not a pause: the run ends as soon as every order is terminal.
    command += ["--drain", "120", "--out", str(folder)]

    result = CliRunner().invoke(app, command, env=system.settings.as_env())

    assert result.exit_code == 0, result.output
    summary = json.loads((folder / output.REPORT).read_text())["summary"]
    assert (summary["placed"], summary["accepted"], summary["completed"]) == (15, 15, 15)
    assert summary["terminal_statuses"] == {"Paid": 15}
    assert summary["two_terminal"] == 0
    assert summary["errors"] == {}
    assert summary["latency_ms"]["hops"]["Shipped → Paid"]["count"] == 15
    assert "postgres" in summary["resources"]
    assert (folder / output.SUMMARY).read_text().startswith("# orderflow bench")
    assert (folder / output.PLOT).stat().st_size > 0
