"""`orderflow stack status` and `logs` as a user runs them, against the running stack."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from orderflow.settings import Settings

pytestmark = pytest.mark.stack


def orderflow(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **settings.as_env(), "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-m", "orderflow", *args],
        capture_output=True, text=True, env=environment, timeout=120, check=False,
    )  # fmt: skip


def test_status_shows_every_component_healthy_and_the_connector_running(stack: Settings) -> None:
    shown = orderflow(stack, "stack", "status")
    assert shown.returncode == 0, shown.stdout + shown.stderr
    rows = [line for line in shown.stdout.splitlines() if line.startswith("│")]
    components = {row.split("│")[1].strip(): row for row in rows}
    assert set(components) == {"postgres", "kafka", "connect", "registry", "prometheus"}
    for name, row in components.items():
        cells = [cell.strip() for cell in row.split("│")[1:-1]]
        assert cells[3] == "yes", f"{name} is not healthy: {row}"
        assert cells[1].isdigit(), f"{name} has no pid: {row}"
        assert cells[5].endswith("MiB"), f"{name} shows no memory: {row}"
    assert "connector orderflow-outbox: RUNNING (tasks: RUNNING)" in shown.stdout


def test_logs_prints_the_end_of_a_components_log(stack: Settings) -> None:
    shown = orderflow(stack, "stack", "logs", "kafka", "-n", "5")
    assert shown.returncode == 0, shown.stderr
    assert 1 <= len(shown.stdout.splitlines()) <= 5


def test_logs_of_an_unknown_component_is_refused(stack: Settings) -> None:
    shown = orderflow(stack, "stack", "logs", "zookeeper")
    assert shown.returncode != 0
    assert "unknown component 'zookeeper'" in shown.stdout + shown.stderr
