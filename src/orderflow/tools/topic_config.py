"""Topic configs given on the command line as ``key=value``."""

from __future__ import annotations

from collections.abc import Iterable

from orderflow.tools.errors import ToolError


def parse_configs(pairs: Iterable[str]) -> dict[str, str]:
    configs: dict[str, str] = {}
    for pair in pairs:
        name, found, value = pair.partition("=")
        if not found or not name.strip():
            raise ToolError(f"topic config {pair!r} is not like key=value (cleanup.policy=compact)")
        configs[name.strip()] = value.strip()
    return configs
