"""A stack of its own: free ports and a fresh state folder, beside any stack a user runs.

Tests, the benchmark and the chaos run use it so that they never touch the
user's data or collide with the user's ports.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from orderflow.settings import PORT_FIELDS, Settings
from orderflow.stack.ports import free_ports


def open_state_dir() -> Path:
    """A temporary state folder that Postgres can reach when we run as root."""
    state_dir = Path(tempfile.mkdtemp(prefix="orderflow-"))
    state_dir.chmod(0o755)
    return state_dir


def isolated_settings(state_dir: Path, **overrides: object) -> Settings:
    """Settings for a stack in ``state_dir`` with a free port for every part."""
    ports = dict(zip(PORT_FIELDS, free_ports(len(PORT_FIELDS)), strict=True))
    values: dict[str, object] = {"state_dir": state_dir, **ports}
    return Settings(**{**values, **overrides})  # type: ignore[arg-type]
