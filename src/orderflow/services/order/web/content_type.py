"""Reads a body sent without a JSON content type as JSON, as the original server did,
and refuses a body that says it is something else (415).

``curl -d '{...}'`` sends ``application/x-www-form-urlencoded``; the original's
curl commands must work verbatim, so such a body (or one with no content type,
or ``text/plain``) is parsed as JSON anyway. A body declared as XML, multipart
form data or anything else is not JSON that a client mislabelled: it gets a 415
naming the type, rather than a JSON parse error about its first byte.
"""

from __future__ import annotations

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from orderflow.services.order.web.errors import error_response

_JSON = b"application/json"
_ASSUMED_JSON = {b"", b"application/x-www-form-urlencoded", b"text/plain"}


def _is_json(kind: bytes) -> bool:
    return kind == _JSON or (kind.startswith(b"application/") and kind.endswith(b"+json"))


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
            elif not _is_json(kind):
                await _refusal(kind)(scope, receive, send)
                return
        await self._app(scope, receive, send)


def _refusal(kind: bytes) -> Response:
    message = f"content type {kind.decode('latin-1')!r} is not JSON; send application/json"
    return error_response(415, "unsupported_media_type", message, "content-type")
