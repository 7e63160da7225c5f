"""Reads a JSON body sent without a JSON content type as JSON, as the original server
did, and refuses a body that is something else (415).

``curl -d '{...}'`` sends ``application/x-www-form-urlencoded``; the original's
curl commands must work verbatim, so such a body (or ``text/plain``) that starts
as a JSON object is parsed as JSON anyway, and so is one with no content type.
A form-encoded body that is a form (``userId=123&items=item1``), or a body
declared as XML, multipart form data or anything else, is not JSON that a
client mislabelled: it gets a 415 naming the type, rather than a JSON parse
error about its first byte.
"""

from __future__ import annotations

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orderflow.services.order.web.errors import error_response

_JSON = b"application/json"
# What curl and other clients send when not told: JSON in it if it looks like JSON.
_MISLABELLED = {b"application/x-www-form-urlencoded", b"text/plain"}
_JSON_WHITESPACE = b" \t\r\n"


def _is_json(kind: bytes) -> bool:
    return kind == _JSON or (kind.startswith(b"application/") and kind.endswith(b"+json"))


class JsonByDefault:
    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("POST", "PUT", "PATCH"):
            declared = dict(scope["headers"]).get(b"content-type", b"")
            kind = declared.split(b";")[0].strip().lower()
            if kind in _MISLABELLED:
                start, receive = await _peek(receive)
                if start not in (b"", b"{"):
                    await _refusal(kind)(scope, receive, send)
                    return
            elif kind and not _is_json(kind):
                await _refusal(kind)(scope, receive, send)
                return
            if not _is_json(kind):  # none declared, or JSON mislabelled
                headers = [(k, v) for k, v in scope["headers"] if k != b"content-type"]
                scope = {**scope, "headers": [*headers, (b"content-type", _JSON)]}
        await self._app(scope, receive, send)


async def _peek(receive: Receive) -> tuple[bytes, Receive]:
    """The body's first byte after JSON whitespace (``b""`` if none), and a ``receive``
    that gives the app the messages read to find it before the rest."""
    read: list[Message] = []
    start = b""
    while True:
        message = await receive()
        read.append(message)
        if message["type"] != "http.request":
            break
        start = message.get("body", b"").lstrip(_JSON_WHITESPACE)[:1]
        if start or not message.get("more_body", False):
            break

    async def replaying() -> Message:
        return read.pop(0) if read else await receive()

    return start, replaying


def _refusal(kind: bytes) -> Response:
    message = f"content type {kind.decode('latin-1')!r} is not JSON; send application/json"
    return error_response(415, "unsupported_media_type", message, "content-type")
