"""`orderflow dashboard`: serves the app on host:dashboard_port, warning off loopback."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from fastapi import FastAPI
from typer.testing import CliRunner

from orderflow.cli import app
from orderflow.dashboard import server
from orderflow.settings import Settings


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    runs: list[dict[str, Any]] = []
    monkeypatch.setattr(server, "configure_logging", lambda *_a, **_k: None)
    monkeypatch.setattr(
        "uvicorn.run",  # the module server.py calls it on
        lambda application, **options: runs.append({"app": application, **options}),
    )
    return runs


def test_the_command_serves_the_dashboard_on_its_port(
    served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORDERFLOW_DASHBOARD_PORT", "18094")

    shown = CliRunner().invoke(app, ["dashboard"])

    assert shown.exit_code == 0, shown.output
    (run,) = served
    assert isinstance(run["app"], FastAPI)
    assert (run["host"], run["port"]) == ("127.0.0.1", 18094)


def test_a_host_off_loopback_is_one_warning(
    served: list[dict[str, Any]], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger=server.log.name):
        server.serve(Settings(host="0.0.0.0", dashboard_port=18094))

    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "the dashboard listens on 0.0.0.0:18094, not on loopback" in warning.getMessage()
    assert served[0]["host"] == "0.0.0.0"


def test_on_loopback_no_warning(
    served: list[dict[str, Any]], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger=server.log.name):
        server.serve(Settings(host="127.0.0.1"))

    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_the_help_names_it() -> None:
    shown = CliRunner().invoke(app, ["--help"])

    assert "dashboard" in shown.output
