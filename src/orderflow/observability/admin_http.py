"""A worker's small HTTP port: ``/healthz``, ``/readyz`` and ``/metrics``, nothing else.

The standard library's threading server on a daemon thread: a worker has no
web framework to share, and three read-only routes do not need one. It starts
before the worker waits for its dependencies, so that a worker still waiting
for Postgres answers ``/readyz`` with what it waits for.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from orderflow.observability.readiness import Readiness


def health_answer(path: str, readiness: Readiness) -> tuple[int, str, bytes]:
    """The status, content type and body for a GET of ``path``."""
    route = path.split("?", 1)[0]
    if route == "/metrics":
        return 200, CONTENT_TYPE_LATEST, generate_latest()
    if route == "/healthz":
        return _json(200, {"service": readiness.service, "alive": True})
    if route == "/readyz":
        ready, body = readiness.report()
        return _json(200 if ready else 503, body)
    return _json(404, {"error": "not_found", "message": f"no route {route}; try /readyz"})


def _json(status: int, body: dict[str, Any]) -> tuple[int, str, bytes]:
    return status, "application/json", json.dumps(body).encode()


def serve_health(host: str, port: int, readiness: Readiness) -> ThreadingHTTPServer:
    """Serve on ``host:port`` from a daemon thread until the process ends; returns the
    server (``shutdown()`` stops it). Raises OSError if the port is taken."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, content_type, body = health_answer(self.path, readiness)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # a scrape every few seconds is not news

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="health-http", daemon=True).start()
    return server
