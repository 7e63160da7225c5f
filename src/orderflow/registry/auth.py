"""HTTP basic auth on the registry, when the settings name a user for it.

What Confluent's registry does with ``authentication.method=BASIC``: a request
without the right user and password is answered 401 with its JSON body, and
names no route, subject or schema. Health and metrics stay open: a probe and
Prometheus reach them without credentials, and they show no schema.
"""

from __future__ import annotations

import base64
import binascii
import secrets

from starlette.types import ASGIApp, Receive, Scope, Send

from orderflow.registry.routes.http import RegistryJSON

OPEN_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
CHALLENGE = 'Basic realm="orderflow schema registry", charset="UTF-8"'


def credentials_of(header: str | None) -> tuple[str, str] | None:
    """The user and password of a ``Basic`` Authorization header; None for any other."""
    if header is None:
        return None
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, colon, password = decoded.partition(":")
    return (user, password) if colon else None


def admits(header: str | None, username: str, password: str) -> bool:
    """Whether the header carries this user and password."""
    given = credentials_of(header)
    if given is None:
        return False
    # Both compared, in constant time: how long a refusal takes says nothing of
    # which half was wrong, or how much of it.
    user_matches = secrets.compare_digest(given[0].encode(), username.encode())
    password_matches = secrets.compare_digest(given[1].encode(), password.encode())
    return user_matches and password_matches


class BasicAuth:
    """Answers 401 to a request for a registry route without the user and password."""

    def __init__(self, app: ASGIApp, username: str, password: str) -> None:
        self._app = app
        self._username = username
        self._password = password

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            await self._app(scope, receive, send)
            return
        header = _header(scope, b"authorization")
        if admits(header, self._username, self._password):
            await self._app(scope, receive, send)
            return
        refused = RegistryJSON(
            {"error_code": 401, "message": "Unauthorized"},
            status_code=401,
            headers={"WWW-Authenticate": CHALLENGE},
        )
        await refused(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value).decode("latin-1")
    return None
