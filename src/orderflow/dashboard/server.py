"""Running the dashboard: ``orderflow dashboard``, which the launcher starts after the services."""

from __future__ import annotations

import logging

import uvicorn

from orderflow.dashboard.app import NAME, create_app
from orderflow.listening import warn_unless_loopback
from orderflow.observability.logs import configure_logging
from orderflow.settings import Settings

log = logging.getLogger(__name__)


def serve(settings: Settings) -> None:
    """Serve the dashboard on settings.host:settings.dashboard_port until SIGTERM or SIGINT
    (uvicorn handles both: it stops taking requests, ends the streams, then exits)."""
    configure_logging(NAME, settings.log_format)
    warn_unless_loopback(log, "the dashboard", settings.host, settings.dashboard_port)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.dashboard_port,
        log_level="info",
        access_log=False,  # a line per page asset and per admin click says nothing
        log_config=None,  # its loggers propagate to the root's handler (text or JSON)
        # A browser's live stream never ends on its own: on SIGTERM, give the open
        # streams this long, then close them (the launcher's grace is 10 s).
        timeout_graceful_shutdown=3,
    )
