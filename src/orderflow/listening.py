"""Where a server listens: loopback unless told otherwise, and a warning when told.

The HTTP API and the registry have no authentication; on loopback only this
machine reaches them. Listening on any other address is allowed (a container,
a demo on a LAN), but never silently.
"""

from __future__ import annotations

import ipaddress
import logging


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def warn_unless_loopback(log: logging.Logger, what: str, host: str, port: int) -> bool:
    """Log a warning when ``host`` is not a loopback address; True when it is not."""
    if is_loopback(host):
        return False
    log.warning(
        "%s listens on %s:%d, not on loopback: anyone who can reach this machine can use "
        "it, and it has no authentication (set ORDERFLOW_HOST=127.0.0.1 to keep it local)",
        what,
        host,
        port,
    )
    return True
