"""The HTTP access log: one line per request, with the order it was about.

Off unless asked (``ORDERFLOW_ACCESS_LOG=on``): at the most orders per second a
line per request costs the OrderService about a twentieth of its CPU, and the
request metrics count and time every request anyway. ``HttpObserver``
(observability/web.py) writes the lines; this module decides whether and what.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from starlette.types import Scope

log = logging.getLogger("orderflow.access")


def enable_access_log(on: bool) -> None:
    """Log each request on ``orderflow.access`` at INFO, or not at all."""
    log.setLevel(logging.INFO if on else logging.WARNING)


def logging_requests() -> bool:
    return log.isEnabledFor(logging.INFO)


def log_request(scope: Scope, state: Mapping[str, Any], status: int, duration_ms: float) -> None:
    """The line of one answered request; the order and trace ids are those a route
    put on ``request.state`` (``order_id``, ``trace_id``). In JSON mode every part
    is a field of the line."""
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
