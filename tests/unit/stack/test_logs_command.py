"""`orderflow stack logs` prints the log of anything the launcher runs, services too."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from orderflow.cli import app
from orderflow.stack.layout import StateLayout


@pytest.mark.parametrize("name", ["order", "payment", "supervisor", "kafka"])
def test_the_end_of_a_service_s_or_the_supervisor_s_log(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORDERFLOW_STATE_DIR", str(tmp_path))
    log = StateLayout(tmp_path).log(name)
    log.parent.mkdir(parents=True)
    log.write_text("".join(f"{name} line {n}\n" for n in range(10)))

    shown = CliRunner().invoke(app, ["stack", "logs", name, "-n", "3"])

    assert shown.exit_code == 0, shown.output
    assert shown.output.splitlines() == [f"{name} line {n}" for n in (7, 8, 9)]


def test_a_name_that_writes_no_log_is_refused_with_the_names_that_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORDERFLOW_STATE_DIR", str(tmp_path))
    # Wide enough that rich's error box does not wrap the list of names.
    monkeypatch.setenv("COLUMNS", "200")

    shown = CliRunner().invoke(app, ["stack", "logs", "zookeeper"])

    assert shown.exit_code == 2
    assert "unknown component 'zookeeper'" in shown.output
    assert "order, supervisor" in shown.output
