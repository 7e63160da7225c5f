"""What the supervisor writes in the state folder, read back as `up` and `status` read it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orderflow.stack.supervised import (
    RestartRecord,
    SupervisorState,
    read_restarts,
    read_state,
    record_restart,
    write_state,
)
from orderflow.stack.supervision import Restart


def test_a_state_written_reads_back_the_same(tmp_path: Path) -> None:
    path = tmp_path / "supervisor.json"
    failed = SupervisorState("failed", True, "Starting kafka", "kafka", "exited 1")
    write_state(path, failed)
    assert read_state(path) == failed


def test_a_state_written_again_replaces_the_one_before(tmp_path: Path) -> None:
    path = tmp_path / "supervisor.json"
    write_state(path, SupervisorState("starting", False, "Starting postgres"))
    write_state(path, SupervisorState("up", False, "Up"))
    assert read_state(path) == SupervisorState("up", False, "Up")
    assert [p.name for p in tmp_path.iterdir()] == ["supervisor.json"]  # no partial left


def test_no_state_file_reads_as_no_state(tmp_path: Path) -> None:
    assert read_state(tmp_path / "supervisor.json") is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        '{"phase": "up", "serv',  # cut short
        "[]",
        '"up"',
        '{"phase": "up"}',  # services missing
        '{"phase": "up", "services": false, "pid": 12}',  # a field it does not know
    ],
)
def test_a_state_file_it_cannot_read_reads_as_no_state(tmp_path: Path, text: str) -> None:
    path = tmp_path / "supervisor.json"
    path.write_text(text)
    assert read_state(path) is None


def test_restarts_recorded_read_back_in_order_with_their_total(tmp_path: Path) -> None:
    path = tmp_path / "kafka.restarts.json"
    first, second = Restart(100.0, -9, 12.5), Restart(130.5, None, 0.25)
    record_restart(path, first)
    assert read_restarts(path) == RestartRecord(1, (first,))
    record_restart(path, second)
    assert read_restarts(path) == RestartRecord(2, (first, second))
    assert [p.name for p in tmp_path.iterdir()] == ["kafka.restarts.json"]


def test_only_the_last_hundred_restarts_are_kept_but_all_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "order.restarts.json"
    for at in range(105):
        record_restart(path, Restart(float(at), 1, 1.0))
    record = read_restarts(path)
    assert record.total == 105
    assert [r.at for r in record.recent] == [float(at) for at in range(5, 105)]


def test_no_restarts_file_reads_as_none_yet(tmp_path: Path) -> None:
    assert read_restarts(tmp_path / "kafka.restarts.json") == RestartRecord(0, ())


@pytest.mark.parametrize(
    "text",
    [
        "",
        '{"total": 3, "recent": [{"at": 1.0, "exit',  # cut short
        '{"total": 3}',
        '{"recent": []}',
        '{"total": "many", "recent": []}',
        '{"total": 3, "recent": null}',
        '{"total": 1, "recent": [{"at": 1.0}]}',
        "[1, 2]",
    ],
)
def test_a_restarts_file_it_cannot_read_reads_as_none_yet(tmp_path: Path, text: str) -> None:
    path = tmp_path / "kafka.restarts.json"
    path.write_text(text)
    assert read_restarts(path) == RestartRecord(0, ())


def test_a_restart_after_an_unreadable_file_starts_the_count_afresh(tmp_path: Path) -> None:
    path = tmp_path / "kafka.restarts.json"
    path.write_text("{not json")
    restart = Restart(5.0, 137, 2.0)
    record_restart(path, restart)
    assert read_restarts(path) == RestartRecord(1, (restart,))
    assert json.loads(path.read_text()) == {
        "total": 1,
        "recent": [{"at": 5.0, "exit_code": 137, "uptime_s": 2.0}],
    }
