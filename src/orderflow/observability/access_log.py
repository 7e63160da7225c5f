"""One log line per HTTP request: method, path, status, duration, and the order it was about.

A pure ASGI middleware: Starlette's ``BaseHTTPMiddleware`` runs the app in a
task of its own and streams the response through a queue, which costs more
than the line it logs.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("orderflow.access")


class AccessLog:
    """Logs each HTTP request on ``orderflow.access`` at INFO once the app has answered.

    The order and trace ids are those a route put on ``request.state``
    (``order_id``, ``trace_id``); in JSON mode every part is a field of the line.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        # ``request.state`` writes into this dict; made here so that a layer
        # that copies the scope still shares it with us.
        state: dict[str, Any] = scope.setdefault("state", {})
        status = 500  # what the client gets if the app raises before it answers
        started = time.perf_counter()

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            _log_request(scope, state, status, (time.perf_counter() - started) * 1000)


def _log_request(scope: Scope, state: dict[str, Any], status: int, duration_ms: float) -> None:
    method, path = scope["method"], scope["path"]
    fields: dict[str, object] = {
        "method": method,
        "path": path,
        "status": status,
        "duration_ms": round(duration_ms, 3),
    }
    text, args = "%s %s %d %.1f ms", [method, path, status, duration_ms]
    for key in ("order_id", "trace_id"):
        value = state.get(key)
        if value is not None:
            fields[key] = value
            text += f" {key.removesuffix('_id')} %s"
            args.append(value)
    log.info(text, *args, extra=fields)
