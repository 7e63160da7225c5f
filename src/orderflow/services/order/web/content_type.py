"""Reads a body sent without a JSON content type as JSON, as the original server did.

``curl -d '{...}'`` sends ``application/x-www-form-urlencoded``; the original's
curl commands must work verbatim, so such a body is parsed as JSON anyway.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

_JSON = b"application/json"
_ASSUMED_JSON = {b"", b"application/x-www-form-urlencoded", b"text/plain"}


class JsonByDefault:
    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("POST", "PUT", "PATCH"):
            headers = [(k, v) for k, v in scope["headers"] if k != b"content-type"]
            declared = dict(scope["headers"]).get(b"content-type", b"")
            kind = declared.split(b";")[0].strip().lower()
            if kind in _ASSUMED_JSON:
                scope = {**scope, "headers": [*headers, (b"content-type", _JSON)]}
        await self._app(scope, receive, send)
