"""`orderflow status` on a stack somebody else runs: what answers is up, as external.

The launcher knows its own parts by their pid files; a part of docker compose,
or a service run by hand, has none. It is shown up when its port answers as
that part does, with no pid, uptime or memory, and counts as healthy.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psutil
import pytest
from typer.testing import CliRunner

from orderflow.cli import app
from orderflow.settings import Settings
from orderflow.stack import groups, launcher
from orderflow.stack.components import REGISTRY, STACK, Component
from orderflow.stack.connector import ConnectorState
from orderflow.stack.launcher import ComponentStatus, Launcher
from orderflow.stack.layout import StateLayout


def _part(name: str, *, answers: bool) -> Component:
    return Component(name, lambda _s: 4000, lambda _s: answers)


def _ours(layout: StateLayout, name: str) -> None:
    """A pid file of ours for ``name``: this test's own process, alive."""
    me = psutil.Process()
    pid_file = layout.pid_file(name)
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.write_text(json.dumps({"pid": me.pid, "started_at": me.create_time()}))


def test_a_part_is_ours_external_or_down(tmp_path: Path) -> None:
    settings = Settings(state_dir=tmp_path)
    layout = StateLayout(tmp_path)
    for name in ("ours", "ours-sick"):
        _ours(layout, name)
    # A pid file left by a process that has gone: what answers now is not it.
    stale = layout.pid_file("stale")
    stale.write_text(json.dumps({"pid": os.getpid(), "started_at": 1.0}))

    rows = Launcher(settings).status(
        (
            _part("ours", answers=True),
            _part("ours-sick", answers=False),
            _part("composed", answers=True),
            _part("stale", answers=True),
            _part("down", answers=False),
        )
    )

    shown = {row.name: (row.pid, row.healthy, row.external, row.uptime_s is None) for row in rows}
    assert shown == {
        "ours": (os.getpid(), True, False, False),
        "ours-sick": (os.getpid(), False, False, False),
        "composed": (None, True, True, True),
        "stale": (None, True, True, True),
        "down": (None, False, False, True),
    }


class ConfluentLike(BaseHTTPRequestHandler):
    """Confluent's registry: /subjects answers, /readyz (ours alone) does not."""

    def do_GET(self) -> None:
        status, body = (200, b"[]") if self.path == "/subjects" else (404, b'{"error_code":404}')
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        pass  # the test's output is not the place for access lines


@pytest.fixture
def confluent_registry() -> Iterator[int]:
    http = ThreadingHTTPServer(("127.0.0.1", 0), ConfluentLike)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield http.server_address[1]
    finally:
        http.shutdown()
        http.server_close()


def test_confluent_s_registry_on_the_port_is_an_external_registry(
    confluent_registry: int, tmp_path: Path
) -> None:
    settings = Settings(state_dir=tmp_path, registry_port=confluent_registry)

    (row,) = Launcher(settings).status((REGISTRY,))

    assert (row.pid, row.healthy, row.external) == (None, True, True)
    # Ours, started by the launcher, is judged by its /readyz, which this one lacks.
    assert not REGISTRY.healthy(settings)


class Attached(Launcher):
    """The stack of docker compose: every part external, the connector running."""

    def status(self, components: tuple[Component, ...] = STACK) -> list[ComponentStatus]:
        return [
            ComponentStatus(c.name, None, c.port(self.settings), True, None, None, external=True)
            for c in components
        ]

    def supervisor_running(self) -> bool:
        return False

    def connector_state(self) -> ConnectorState | None:
        return ConnectorState("orderflow-outbox", "RUNNING", ("RUNNING",))


@pytest.fixture
def compose_stack(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ORDERFLOW_STATE_DIR", str(tmp_path))
    monkeypatch.setattr(launcher, "Launcher", Attached)
    monkeypatch.setattr(groups, "group_states", lambda *_: [])


@pytest.mark.usefixtures("compose_stack")
def test_the_table_shows_external_parts_up_and_says_why_they_have_no_pid() -> None:
    shown = CliRunner().invoke(app, ["stack", "status"], env={"COLUMNS": "200"})

    assert shown.exit_code == 0, shown.output
    postgres = next(line for line in shown.stdout.splitlines() if " postgres " in line)
    assert [cell.strip() for cell in postgres.split("│")[1:5]] == [
        "postgres",
        "-",
        "15432",
        "yes (external)",
    ]
    names = ", ".join(c.name for c in STACK)
    assert f"external: {names} (answering on the port, not started by orderflow" in shown.stdout


@pytest.mark.usefixtures("compose_stack")
def test_the_document_says_external_and_counts_them_healthy() -> None:
    shown = CliRunner().invoke(app, ["stack", "status", "--json"])
    document = json.loads(shown.stdout)

    assert shown.exit_code == 0
    assert document["healthy"] is True
    assert [(c["pid"], c["external"]) for c in document["components"]] == [(None, True)] * len(
        STACK
    )
