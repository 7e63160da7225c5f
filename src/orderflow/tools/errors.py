"""The one error the topic tools raise; `orderflow` prints it as one line."""

from __future__ import annotations


class ToolError(Exception):
    """What was asked cannot be done; the message says why and, when it can, what to do."""
