"""Running the registry: ``orderflow registry`` and ``python -m orderflow.registry``."""

from __future__ import annotations

import logging

import uvicorn

from orderflow.listening import warn_unless_loopback
from orderflow.observability.logs import configure_logging
from orderflow.registry.app import create_app
from orderflow.settings import Settings

log = logging.getLogger(__name__)


def serve(settings: Settings) -> None:
    """Serve the registry on settings.host:settings.registry_port until stopped."""
    configure_logging("registry", settings.log_format)
    if not settings.registry_username:
        # With a user and password set it asks for them (registry/auth.py).
        warn_unless_loopback(log, "the schema registry", settings.host, settings.registry_port)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.registry_port,
        log_level="info",
        access_log=False,  # one line per deserializer lookup drowns everything else
        log_config=None,  # its loggers propagate to the root's handler (text or JSON)
    )
