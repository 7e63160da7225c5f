"""`orderflow status --json`: the table's facts as one document, judged as the table is."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from orderflow.cli import app
from orderflow.services import CONSUMERS, SERVICES
from orderflow.settings import Settings
from orderflow.stack import groups, launcher, prometheus
from orderflow.stack.cli import StatusReport, read_status, readiness_at, status_document
from orderflow.stack.components import DASHBOARD, EVERYTHING, REGISTRY, STACK, Component
from orderflow.stack.connector import ConnectorState
from orderflow.stack.groups import GroupState
from orderflow.stack.launcher import ComponentStatus, Launcher
from orderflow.stack.ports import free_ports
from orderflow.stack.supervised import SupervisorState

RUNNING = ConnectorState("outbox", "RUNNING", ("RUNNING",))


class FakeLauncher(Launcher):
    """The launcher's reads, answered from fields: every part up and healthy by default."""

    healthy = True
    supervisor: SupervisorState | None = SupervisorState("up", services=True)
    supervising = True
    connector: ConnectorState | None = RUNNING

    def status(self, components: tuple[Component, ...] = STACK) -> list[ComponentStatus]:
        return [
            ComponentStatus(
                c.name, 100 + i, c.port(self.settings), self.healthy, 12.5, 2**20,
                url=self.url_of(c),
            )
            for i, c in enumerate(components)
        ]  # fmt: skip

    def supervisor_state(self) -> SupervisorState | None:
        return self.supervisor

    def supervisor_running(self) -> bool:
        return self.supervising

    def connector_state(self) -> ConnectorState | None:
        return self.connector


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> type[FakeLauncher]:
    """The CLI's launcher is the fake; every service's group has a member."""
    monkeypatch.setenv("ORDERFLOW_STATE_DIR", str(tmp_path))
    # No process answers on these: every /readyz is "no answer", quickly.
    *ports, registry = free_ports(len(SERVICES) + 1)
    for service, port in zip(SERVICES, ports, strict=True):
        monkeypatch.setenv(f"ORDERFLOW_{service.name.upper()}_PORT", str(port))
    monkeypatch.setenv("ORDERFLOW_REGISTRY_PORT", str(registry))

    def consuming(_settings: Settings, asked: list[str], *_: object) -> list[GroupState]:
        return [GroupState(g, "STABLE", (f"{g}-1",), (("Topic", 0, f"{g}-1"),)) for g in asked]

    monkeypatch.setattr(groups, "group_states", consuming)
    monkeypatch.setattr(launcher, "Launcher", FakeLauncher)
    # A test changes the fake's class fields; monkeypatch puts them back after it.
    for name in ("healthy", "supervisor", "supervising", "connector"):
        monkeypatch.setattr(FakeLauncher, name, getattr(FakeLauncher, name))
    return FakeLauncher


def _status(*args: str) -> tuple[int, dict[str, Any]]:
    shown = CliRunner().invoke(app, [*args, "--json"])
    return shown.exit_code, json.loads(shown.stdout)


def test_every_component_and_service_is_in_the_document(fake: type[FakeLauncher]) -> None:
    code, document = _status("status")

    assert code == 0
    assert document["healthy"] is True
    components = document["components"]
    assert [c["name"] for c in components] == [c.name for c in EVERYTHING]
    registry = next(c for c in components if c["name"] == REGISTRY.name)
    assert registry["metrics_url"] == f"http://127.0.0.1:{registry['port']}/metrics"
    assert registry["readyz"]["ready"] is False
    assert "no answer at" in registry["readyz"]["reason"]
    postgres = components[0]
    assert (postgres["pid"], postgres["uptime_s"], postgres["rss_bytes"]) == (100, 12.5, 2**20)
    assert postgres["readyz"] is None  # not a Python process: it has no /readyz
    assert document["connector"] == {
        "name": "outbox",
        "state": "RUNNING",
        "tasks": ["RUNNING"],
        "running": True,
    }
    assert document["supervisor"]["state"] == "running"
    assert [g["group"] for g in document["consumer_groups"]] == [s.group for s in CONSUMERS]


def test_the_table_shows_where_prometheus_answers(fake: type[FakeLauncher]) -> None:
    shown = CliRunner().invoke(app, ["status"], env={"COLUMNS": "200"})

    assert shown.exit_code == 0
    assert f"prometheus: {prometheus.url(Settings())}\n" in shown.stdout


def test_the_table_and_the_document_show_where_the_dashboard_answers(
    fake: type[FakeLauncher],
) -> None:
    shown = CliRunner().invoke(app, ["status"], env={"COLUMNS": "200"})
    _, document = _status("status")

    url = f"http://127.0.0.1:{Settings().dashboard_port}/"
    assert f"dashboard: {url}\n" in shown.stdout
    assert document["dashboard_url"] == url
    (row,) = [c for c in document["components"] if c["name"] == DASHBOARD.name]
    assert (row["url"], row["metrics_url"], row["readyz"]) == (
        document["dashboard_url"],
        None,
        None,
    )


def test_stack_status_shows_the_stack_s_parts_and_no_group(fake: type[FakeLauncher]) -> None:
    code, document = _status("stack", "status")

    assert code == 0
    assert [c["name"] for c in document["components"]] == [c.name for c in STACK]
    assert document["consumer_groups"] == []
    assert document["dashboard_url"] is None  # the stack alone has no dashboard


@pytest.mark.parametrize(
    ("fault", "value"),
    [
        ("healthy", False),
        ("connector", None),
        ("connector", ConnectorState("outbox", "RUNNING", ("FAILED",))),
        ("supervising", False),  # with a recorded state: it started the system, and died
    ],
)
def test_json_and_table_exit_alike_when_something_is_wrong(
    fake: type[FakeLauncher], fault: str, value: object
) -> None:
    setattr(fake, fault, value)

    code, document = _status("status")
    table = CliRunner().invoke(app, ["status"])

    assert (code, document["healthy"]) == (1, False)
    assert table.exit_code == 1


def test_a_kafka_that_does_not_answer_about_groups_is_null_and_unhealthy(
    fake: type[FakeLauncher], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(groups, "group_states", lambda *_: None)

    code, document = _status("status")

    assert (code, document["consumer_groups"]) == (1, None)


def _report(**changes: Any) -> StatusReport:
    return replace(read_status(FakeLauncher(Settings()), STACK), **changes)


def test_a_supervisor_never_started_is_fine_and_one_gone_is_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(groups, "group_states", lambda *_: [])
    assert _report(supervisor="not running").healthy
    assert not _report(supervisor="gone").healthy
    assert not _report(groups=[GroupState("g", "EMPTY", ())]).healthy


def test_the_document_of_a_report_has_the_supervisor_s_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(groups, "group_states", lambda *_: [])
    report = _report(supervisor="gone")

    document = status_document(report, Settings(), {})

    assert document["supervisor"] == {
        "state": "gone",
        "recorded": {
            "phase": "up",
            "services": True,
            "message": "",
            "component": None,
            "error": None,
        },
    }
    assert document["healthy"] is False


class Ready(BaseHTTPRequestHandler):
    """/ready answers 200, /waiting 503 with the reason, /garbled no JSON."""

    def do_GET(self) -> None:
        status, body = {
            "/ready": (200, b'{"service": "x", "ready": true, "checks": {"kafka": "ok"}}'),
            "/waiting": (503, b'{"service": "x", "ready": false, "checks": {"db": "down"}}'),
        }.get(self.path, (200, b"<html>"))
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        pass  # the test's output is not the place for access lines


@pytest.fixture
def server() -> Iterator[str]:
    http = ThreadingHTTPServer(("127.0.0.1", 0), Ready)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{http.server_address[1]}"
    finally:
        http.shutdown()
        http.server_close()


def test_readiness_is_the_parsed_body_or_why_there_is_none(server: str) -> None:
    assert readiness_at(f"{server}/ready") == {
        "service": "x",
        "ready": True,
        "checks": {"kafka": "ok"},
    }
    assert readiness_at(f"{server}/waiting")["checks"] == {"db": "down"}
    assert readiness_at(f"{server}/waiting")["ready"] is False
    garbled = readiness_at(f"{server}/garbled")
    assert garbled["ready"] is False
    assert "not a JSON object" in garbled["reason"]
    (nobody,) = free_ports(1)
    silent = readiness_at(f"http://127.0.0.1:{nobody}/readyz")
    assert silent["ready"] is False
    assert silent["reason"].startswith(f"no answer at http://127.0.0.1:{nobody}/readyz")
