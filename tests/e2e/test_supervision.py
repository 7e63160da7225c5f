"""`orderflow up`'s supervisor and `orderflow status`, on a supervised system of its own.

A service killed comes back by itself and is counted; one killed again and
again is shown restarting in a loop; a paused connector and a consumer group
left without a member make status exit non-zero; `down` stops the supervisor
before anything else, so nothing comes back after it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from orderflow.chaos.run import own_system
from orderflow.settings import Settings
from orderflow.stack.components import component_named
from orderflow.stack.launcher import Launcher
from orderflow.stack.processes import live_process, read_pid_file
from orderflow.stack.supervised import read_restarts

from .system import wait_for

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def supervised() -> Iterator[Launcher]:
    # The system `orderflow chaos` runs: supervised, on free ports, removed after.
    with own_system(Settings(), lambda _: None) as launcher:
        yield launcher


def status(launcher: Launcher) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **launcher.settings.as_env(), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "orderflow", "status"],
        capture_output=True, text=True, env=environment, timeout=120, check=False,
    )  # fmt: skip


def row_of(shown: str, name: str) -> list[str]:
    for line in shown.splitlines():
        cells = [cell.strip() for cell in line.split("│")[1:-1]]
        if cells and cells[0] == name:
            return cells
    raise AssertionError(f"no row for {name} in:\n{shown}")


def kill_and_await_comeback(launcher: Launcher, name: str) -> None:
    component = component_named(name, launcher.scale)
    pid_file = launcher.layout.pid_file(name)
    before = read_pid_file(pid_file)
    process = live_process(pid_file)
    assert before is not None
    assert process is not None
    process.kill()

    counted = read_restarts(launcher.layout.restarts(name)).total

    def replaced() -> bool | None:
        now = read_pid_file(pid_file)
        back = now is not None and now.pid != before.pid and launcher.running(component)
        # The supervisor counts a restart once it has seen the new process ready; a
        # kill before then (a /readyz answers within a second) would be a failed start.
        recorded = read_restarts(launcher.layout.restarts(name)).total > counted
        return (back and recorded and component.healthy(launcher.settings)) or None

    wait_for(f"{name} to come back", replaced, timeout_s=90, every_s=0.2)


def test_status_is_healthy_with_every_group_consuming(supervised: Launcher) -> None:
    shown = status(supervised)
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert "supervisor: running" in shown.stdout
    assert row_of(shown.stdout, "payment")[6] == "0"
    for group in ("inventory-service", "shipping-service", "payment-service"):
        assert f"{group} STABLE, 1 member" in shown.stdout, shown.stdout


def test_a_killed_service_comes_back_by_itself_and_is_counted(supervised: Launcher) -> None:
    kill_and_await_comeback(supervised, "payment")

    shown = status(supervised)
    assert shown.returncode == 0, shown.stdout
    assert row_of(shown.stdout, "payment")[6] == "1"
    log = supervised.layout.log("supervisor").read_text()
    assert "payment exited (killed by SIGKILL)" in log
    assert "payment restarted" in log


def test_a_service_restarting_in_a_loop_fails_status(supervised: Launcher) -> None:
    for _ in range(2):
        kill_and_await_comeback(supervised, "shipping")
    for _ in range(3):
        kill_and_await_comeback(supervised, "payment")

    shown = status(supervised)
    assert shown.returncode == 1
    assert row_of(shown.stdout, "payment")[6].endswith("(in a loop)"), shown.stdout
    assert row_of(shown.stdout, "shipping")[6] == "2"


def test_a_paused_connector_fails_status(supervised: Launcher) -> None:
    connector = f"{supervised.settings.connect_url}/connectors/orderflow-outbox"
    httpx.put(f"{connector}/pause", timeout=10).raise_for_status()
    try:
        wait_for("the connector to pause", lambda: _connector_is(supervised, "PAUSED"))
        shown = status(supervised)
        assert shown.returncode == 1
        assert "connector orderflow-outbox: PAUSED" in shown.stdout
    finally:
        httpx.put(f"{connector}/resume", timeout=10).raise_for_status()
    wait_for("the connector to run", lambda: _connector_is(supervised, "RUNNING"))


def _connector_is(launcher: Launcher, state: str) -> bool | None:
    found = launcher.connector_state()
    return (found is not None and found.connector == state) or None


def test_a_group_without_a_member_fails_status(supervised: Launcher) -> None:
    # A frozen worker misses its session (6 s) and leaves its group empty.
    process = live_process(supervised.layout.pid_file("inventory"))
    assert process is not None
    process.suspend()

    def empty_group_shown() -> subprocess.CompletedProcess[str] | None:
        shown = status(supervised)
        empty = re.search(r"inventory-service \w+, 0 members", shown.stdout)
        return shown if shown.returncode == 1 and empty else None

    try:
        shown = wait_for("status to see inventory-service empty", empty_group_shown, 60, 1.0)
        assert "supervisor: running" in shown.stdout
    finally:
        process.resume()
    component = component_named("inventory")
    wait_for("inventory to rejoin", lambda: component.healthy(supervised.settings) or None)


def test_down_stops_the_supervisor_first_and_nothing_comes_back(supervised: Launcher) -> None:
    supervisor = live_process(supervised.layout.pid_file("supervisor"))
    assert supervisor is not None

    stopped = supervised.down()

    assert stopped[0] == "supervisor"
    assert not supervisor.is_running()
    assert [c for c in stopped if c in ("postgres", "kafka", "payment")] == [
        "payment", "kafka", "postgres"
    ]  # fmt: skip
    # Every pid file is gone and no part runs: the supervisor was not there to
    # start any of them again.
    assert not any(supervised.running(component_named(n)) for n in ("kafka", "payment"))
