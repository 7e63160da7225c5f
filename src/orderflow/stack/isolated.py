"""A stack of its own: free ports and a fresh state folder, beside any stack a user runs.

Tests, the benchmark and the chaos run use it so that they never touch the
user's data or collide with the user's ports.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from orderflow.settings import PORT_FIELDS, Settings
from orderflow.stack.ports import free_ports, kernel_ephemeral_range, pick_range
from orderflow.stack.scale import MOST, PORT_STEP


def open_state_dir() -> Path:
    """A temporary state folder that Postgres can reach when we run as root."""
    state_dir = Path(tempfile.mkdtemp(prefix="orderflow-"))
    state_dir.chmod(0o755)
    return state_dir


def isolated_settings(state_dir: Path, **overrides: object) -> Settings:
    """Settings for a stack in ``state_dir`` with a free port for every part.

    A scaled part's further instances listen one ``PORT_STEP`` up each
    (scale.py), so no two parts' ports may leave the same remainder by that
    step: picked at random otherwise, one part's port could be another's
    replica's, and the stack then cannot start (it happened in CI, to the
    dashboard). Each pick leaves room below the top of the range for the
    instances above it.
    """
    picks = pick_range(kernel_ephemeral_range())
    room = range(picks.start, picks.stop - PORT_STEP * (MOST - 1))
    chosen = free_ports(len(PORT_FIELDS), among=room, modulus=PORT_STEP)
    ports = dict(zip(PORT_FIELDS, chosen, strict=True))
    values: dict[str, object] = {"state_dir": state_dir, **ports}
    return Settings(**{**values, **overrides})  # type: ignore[arg-type]
