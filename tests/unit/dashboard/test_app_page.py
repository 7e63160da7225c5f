"""The page and the health check: index.html at /, the front-end's files under /static."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from orderflow.dashboard import app as dashboard_app
from orderflow.dashboard.app import create_app
from orderflow.settings import Settings


@pytest.fixture
def static(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(dashboard_app, "STATIC", tmp_path)
    return tmp_path


def test_healthz_says_it_is_alive() -> None:
    with TestClient(create_app(Settings())) as client:
        answer = client.get("/healthz")

    assert (answer.status_code, answer.json()) == (200, {"service": "dashboard", "alive": True})


def test_the_page_and_its_files(static: Path) -> None:
    (static / "index.html").write_text("<!doctype html><title>orderflow</title>")
    (static / "vendor").mkdir()
    (static / "vendor" / "chart.js").write_text("export {};")

    with TestClient(create_app(Settings())) as client:
        page = client.get("/")
        script = client.get("/static/vendor/chart.js")
        missing = client.get("/static/nothing.js")

    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert page.headers["Cache-Control"] == "no-cache"
    assert "<title>orderflow</title>" in page.text
    assert (script.status_code, script.text) == (200, "export {};")
    assert script.headers["Content-Type"].split(";")[0] in {
        "text/javascript",
        "application/javascript",
    }
    assert missing.status_code == 404


def test_without_the_front_end_s_files_the_api_still_answers(static: Path) -> None:
    with TestClient(create_app(Settings())) as client:
        page = client.get("/")
        health = client.get("/healthz")

    assert page.status_code == 404
    assert page.json()["error"] == "not_found"
    assert health.status_code == 200


def test_a_path_of_no_route_is_a_json_404() -> None:
    with TestClient(create_app(Settings())) as client:
        answer = client.get("/api/nothing")

    assert answer.status_code == 404
    assert set(answer.json()) == {"error", "message", "field"}


def test_the_live_routes_are_included() -> None:
    with TestClient(create_app(Settings())) as client:
        answer = client.get("/api/history", params={"minutes": "0"})

    assert (answer.status_code, answer.json()["field"]) == (422, "minutes")
