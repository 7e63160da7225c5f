"""The dashboard as a part of the system: started last, by `orderflow dashboard`, healthy
when /healthz answers, shown with its URL, never scraped."""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from orderflow.settings import Settings
from orderflow.stack import launcher, supervisor
from orderflow.stack.components import (
    DASHBOARD,
    EVERYTHING,
    SERVICES,
    STACK,
    VIEWS,
    component_named,
)
from orderflow.stack.errors import StackError
from orderflow.stack.launcher import Launcher
from orderflow.stack.layout import StateLayout


def test_it_comes_after_the_stack_and_the_services() -> None:
    assert VIEWS == (DASHBOARD,)
    assert EVERYTHING == STACK + SERVICES + VIEWS
    assert component_named("dashboard") is DASHBOARD
    settings = Settings(dashboard_port=18094)
    assert DASHBOARD.port(settings) == 18094
    assert DASHBOARD.metrics(settings) is None


def test_its_url_is_the_page_and_only_views_and_prometheus_have_one(tmp_path: Path) -> None:
    found = Launcher(Settings(state_dir=tmp_path, dashboard_port=18094))

    assert found.url_of(DASHBOARD) == "http://127.0.0.1:18094/"
    assert [c.name for c in EVERYTHING if found.url_of(c) is not None] == [
        "prometheus",
        "dashboard",
    ]


def test_the_launcher_runs_orderflow_dashboard_with_its_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spawned: list[tuple[list[str], dict[str, str]]] = []
    monkeypatch.setattr(
        launcher, "spawn", lambda command, *, env, **_: spawned.append((command, env))
    )
    settings = Settings(state_dir=tmp_path, dashboard_port=18094)

    Launcher(settings)._launch(DASHBOARD)

    ((command, env),) = spawned
    assert command == [sys.executable, "-m", "orderflow", "dashboard"]
    assert env["ORDERFLOW_DASHBOARD_PORT"] == "18094"


def test_a_taken_port_stops_it_naming_the_variable(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        views = Launcher(Settings(state_dir=tmp_path, dashboard_port=port))

        with pytest.raises(StackError, match="ORDERFLOW_DASHBOARD_PORT") as raised:
            views.up_views()

    assert raised.value.component == "dashboard"


class Health(BaseHTTPRequestHandler):
    """/healthz answers as the server's ``status`` says."""

    def do_GET(self) -> None:
        status = self.server.status if self.path == "/healthz" else 404  # type: ignore[attr-defined]
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def health() -> Iterator[ThreadingHTTPServer]:
    http = ThreadingHTTPServer(("127.0.0.1", 0), Health)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield http
    finally:
        http.shutdown()
        http.server_close()


def test_healthy_when_healthz_answers_200(health: ThreadingHTTPServer) -> None:
    settings = Settings(dashboard_port=health.server_address[1])

    health.status = 200  # type: ignore[attr-defined]
    assert DASHBOARD.healthy(settings)
    health.status = 503  # type: ignore[attr-defined]
    assert not DASHBOARD.healthy(settings)


@pytest.mark.parametrize(
    ("with_services", "steps"), [(True, ["stack", "services", "views"]), (False, ["stack"])]
)
def test_the_supervisor_starts_the_views_after_the_services(
    with_services: bool, steps: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    done: list[str] = []
    monkeypatch.setattr(Launcher, "up", lambda _self: done.append("stack"))
    monkeypatch.setattr(Launcher, "up_services", lambda _self: done.append("services"))
    monkeypatch.setattr(Launcher, "up_views", lambda _self: done.append("views"))
    StateLayout(tmp_path).supervisor_state().parent.mkdir(parents=True)
    stopped = threading.Event()
    stopped.set()  # up, then stop supervising at once

    code = supervisor.supervise(Settings(state_dir=tmp_path), with_services, stopped)

    assert (code, done) == (0, steps)
