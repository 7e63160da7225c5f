"""Refuses request bodies over a size limit with 413, never holding more than a chunk.

Announced (``Content-Length``) or found while the app reads a streamed body,
an oversized body gets a 413, and is read to its end, dropped chunk by chunk,
*before* that answer goes out. Answering first is what used to reset the
connection: a client that sends ``Connection: close`` (``urllib`` always does)
or speaks HTTP/1.0 gets its answer and then uvicorn closes the socket while
the rest of the body is still arriving; the kernel answers unread data with
a RST, and the client, still writing, sees "connection reset" instead of the
413. Reading the rest first is nginx's "lingering close". Two exceptions: a
client that sent ``Expect: 100-continue`` is answered at once (it sends no
body until told to, and is not told), and a body still arriving after
``DRAIN_SECONDS`` is given up on, the answer then closing the connection.
"""

from __future__ import annotations

import asyncio

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orderflow.services.order.web.errors import error_response

DRAIN_SECONDS = 30.0
"""How long a refused body may take to arrive in full (nginx's lingering_time)."""


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self._app = app
        self._max = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self._max:
            waiting = headers.get(b"expect", b"").lower() == b"100-continue"
            await self._refuse(scope, receive, send, unread=not waiting)
            return
        seen = 0
        ended = started = refused = False

        async def counting_receive() -> Message:
            nonlocal seen, ended, refused
            message = await receive()
            seen += len(message.get("body", b""))
            ended = message["type"] != "http.request" or not message.get("more_body", False)
            if seen > self._max:
                refused = True
                raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            # FastAPI turns an error while reading the body into a 400 of its
            # own; once the body is refused, the 413 below answers instead.
            if refused and not started:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self._app(scope, counting_receive, guarded_send)
        except BodyTooLarge:
            if started:
                raise
        if refused and not started:
            await self._refuse(scope, receive, send, unread=not ended)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, unread: bool) -> None:
        whole = not unread or await _drained(receive)
        await self._refusal(None if whole else {"Connection": "close"})(scope, receive, send)

    def _refusal(self, headers: dict[str, str] | None) -> Response:
        message = f"request body over {self._max} bytes"
        return error_response(413, "body_too_large", message, "body", headers)


async def _drained(receive: Receive) -> bool:
    """Read the rest of the body, dropping it; False if it is still coming after
    ``DRAIN_SECONDS``."""
    try:
        async with asyncio.timeout(DRAIN_SECONDS):
            while True:
                message = await receive()
                if message["type"] != "http.request" or not message.get("more_body", False):
                    return True
    except TimeoutError:
        return False
