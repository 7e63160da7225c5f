"""Basic auth on the registry, when the settings name its user: in memory."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from orderflow.registry.app import create_app
from orderflow.registry.auth import admits, credentials_of
from orderflow.registry.log import MemoryLog
from orderflow.settings import Settings

USER, PASSWORD = "shop", "p:ss wörd"
SCHEMA = '{"type": "string"}'


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.mark.parametrize(
    ("header", "found"),
    [
        (basic("shop", "pw"), ("shop", "pw")),
        # Only the first colon divides: a password may hold more.
        (basic("shop", "a:b"), ("shop", "a:b")),
        ("bAsIc " + basic("u", "p").split()[1], ("u", "p")),
        (None, None),
        ("Bearer abc", None),
        ("Basic", None),
        ("Basic not-base64!", None),
        ("Basic " + base64.b64encode(b"no colon").decode(), None),
        ("Basic " + base64.b64encode(b"\xff\xfe:x").decode(), None),
    ],
)
def test_the_credentials_of_a_header(header: str | None, found: tuple[str, str] | None) -> None:
    assert credentials_of(header) == found


def test_only_the_user_and_the_password_together_are_admitted() -> None:
    assert admits(basic(USER, PASSWORD), USER, PASSWORD)
    assert not admits(basic(USER, PASSWORD + "x"), USER, PASSWORD)
    assert not admits(basic("shop2", PASSWORD), USER, PASSWORD)
    assert not admits(basic(USER, ""), USER, PASSWORD)
    assert not admits(None, USER, PASSWORD)


@pytest.fixture
def guarded() -> Iterator[TestClient]:
    settings = Settings(registry_username=USER, registry_password=SecretStr(PASSWORD))
    with TestClient(create_app(settings, MemoryLog())) as app:
        yield app


def test_without_credentials_every_registry_route_is_401_and_nothing_is_written(
    guarded: TestClient,
) -> None:
    written = guarded.post("/subjects/s-value/versions", json={"schema": SCHEMA})
    wrong = guarded.get("/subjects", headers={"Authorization": basic(USER, "guess")})
    unknown = guarded.get("/no-such-route")

    for answer in (written, wrong, unknown):
        assert answer.status_code == 401
        assert answer.json() == {"error_code": 401, "message": "Unauthorized"}
        assert answer.headers["www-authenticate"].startswith("Basic ")
    listed = guarded.get("/subjects", headers={"Authorization": basic(USER, PASSWORD)})
    assert listed.json() == []


def test_with_them_the_registry_answers_as_ever(guarded: TestClient) -> None:
    auth = {"Authorization": basic(USER, PASSWORD)}

    registered = guarded.post("/subjects/s-value/versions", json={"schema": SCHEMA}, headers=auth)

    assert registered.status_code == 200
    assert guarded.get("/subjects", headers=auth).json() == ["s-value"]


def test_health_and_metrics_stay_open(guarded: TestClient) -> None:
    assert guarded.get("/healthz").status_code == 200
    assert guarded.get("/metrics").status_code == 200
    # Ready or not (no Kafka here), it answers without credentials.
    assert guarded.get("/readyz").status_code in (200, 503)


def test_without_a_user_in_the_settings_no_credentials_are_asked() -> None:
    with TestClient(create_app(Settings(), MemoryLog())) as app:
        assert app.get("/subjects").status_code == 200
