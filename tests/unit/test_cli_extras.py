"""Without the `bench` extra, its commands say what to install in one line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orderflow.bench import output, report
from orderflow.cli import app, main

from .bench.runs import made_up_run


def missing(monkeypatch: pytest.MonkeyPatch, *modules: str) -> None:
    # None in sys.modules makes `import x` raise ModuleNotFoundError, as if x
    # were not installed, whether or not it was loaded before.
    for module in modules:
        monkeypatch.setitem(sys.modules, module, None)


@pytest.mark.parametrize(
    ("argv", "module"),
    [(["bench"], "aiohttp"), (["bench"], "matplotlib"), (["chaos"], "aiohttp")],
)
def test_a_command_without_its_extra_names_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    module: str,
) -> None:
    missing(monkeypatch, module)
    monkeypatch.setattr("sys.argv", ["orderflow", *argv])

    with pytest.raises(SystemExit) as exited:
        main()

    assert exited.value.code == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: orderflow {argv[0]} needs the bench extra: pip install 'orderflow[bench]'"
    ]


def test_comparing_reports_needs_no_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output.write(report.build(made_up_run(step=0.01)), tmp_path / "a")
    output.write(report.build(made_up_run(step=0.02)), tmp_path / "b")
    missing(monkeypatch, "aiohttp", "matplotlib")

    result = CliRunner().invoke(
        app, ["bench", "--compare", str(tmp_path / "a"), str(tmp_path / "b")]
    )

    assert result.exit_code == 0, result.output
    assert "2.00x" in result.output
