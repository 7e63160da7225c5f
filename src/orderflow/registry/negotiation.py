"""Media types in the app: refuse what cannot be served, label what is answered.

``refuse_unservable`` runs as a dependency of every registry route, so routing
answers first (404, 405), as Jersey's does, and a write refused for its media
type is never performed. ``AnswerType`` relabels the registry's answers, errors
included, with the type the request's Accept chose; health and metrics carry
types of their own and pass untouched.
"""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orderflow.registry import errors, media


async def refuse_unservable(request: Request) -> None:
    # Jersey matches the body's type before the answer's: 415 wins over 406.
    if not media.consumable(request.headers.get("content-type")):
        raise errors.unsupported_media_type()
    if media.choose(request.headers.get("accept")) is None:
        raise errors.not_acceptable()


_DEFAULT = media.V1.encode("latin-1")


class AnswerType:
    """Rewrites ``Content-Type: <v1>`` to the negotiated type; every registry answer,
    ``RegistryJSON`` or raw schema, is written as v1 (``routes.http.MEDIA_TYPE``)."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        chosen = media.choose(Headers(scope=scope).get("accept"))
        # None: refused with 406, which is answered in the default type.
        if chosen is None or chosen == media.V1:
            await self._app(scope, receive, send)
            return
        label = chosen.encode("latin-1")

        async def relabelled(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, label if name == b"content-type" and value == _DEFAULT else value)
                    for name, value in message["headers"]
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self._app(scope, receive, relabelled)
