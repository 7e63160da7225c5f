"""`orderflow stack logs` prints the log of anything the launcher runs, services too."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from orderflow.cli import app, main
from orderflow.stack import supervised
from orderflow.stack.components import EVERYTHING
from orderflow.stack.layout import StateLayout
from orderflow.stack.scale import write_scale

# Whatever the launcher spawns writes logs/<name>.log: the stack's parts, the
# services and the supervisor that `orderflow up` leaves behind.
WRITERS = [*(c.name for c in EVERYTHING), supervised.NAME]


def test_the_writers_are_the_stack_the_services_and_the_supervisor() -> None:
    assert {
        "postgres", "kafka", "connect", "registry", "order", "payment", "dashboard", "supervisor"
    } <= set(WRITERS)  # fmt: skip


@pytest.mark.parametrize("name", WRITERS)
def test_the_end_of_each_one_s_log(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORDERFLOW_STATE_DIR", str(tmp_path))
    log = StateLayout(tmp_path).log(name)
    log.parent.mkdir(parents=True)
    log.write_text("".join(f"{name} line {n}\n" for n in range(10)))

    shown = CliRunner().invoke(app, ["stack", "logs", name, "-n", "3"])

    assert shown.exit_code == 0, shown.output
    assert shown.output.splitlines() == [f"{name} line {n}" for n in (7, 8, 9)]


def test_a_name_not_started_yet_has_no_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERFLOW_STATE_DIR", str(tmp_path))

    shown = CliRunner().invoke(app, ["stack", "logs", "order"])

    assert shown.exit_code == 1
    assert "order has no log yet" in shown.output


def test_a_name_that_writes_no_log_is_one_line_listing_those_that_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ORDERFLOW_STATE_DIR", str(tmp_path))
    monkeypatch.setattr("sys.argv", ["orderflow", "stack", "logs", "zookeeper"])

    with pytest.raises(SystemExit) as exited:
        main()

    assert exited.value.code == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert "unknown component 'zookeeper'; one of " + ", ".join(WRITERS) in line


def test_a_replica_s_log_once_the_system_runs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORDERFLOW_STATE_DIR", str(tmp_path))
    layout = StateLayout(tmp_path)
    write_scale(layout.scale(), {"payment": 2})
    layout.log("payment-2").parent.mkdir(parents=True)
    layout.log("payment-2").write_text("the second payment\n")

    shown = CliRunner().invoke(app, ["stack", "logs", "payment-2"])

    assert shown.exit_code == 0, shown.output
    assert shown.output == "the second payment\n"
