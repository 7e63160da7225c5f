"""What the supervisor writes in the state folder for `orderflow up` and `status` to read.

``supervisor.json`` says whether the supervisor is starting the system (and
the step in hand), has it up, or failed to (which part, and why);
``<part>.restarts.json`` keeps the restarts of each part. Each file is
written through a rename, so that a reader never sees half of one.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from orderflow.stack.supervision import Restart

NAME = "supervisor"
# The supervisor's argument for supervising the five services too, not only the stack.
WITH_SERVICES = "--services"
_KEPT_RESTARTS = 100


def _write(path: Path, document: object) -> None:
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(document))
    partial.replace(path)


@dataclass(frozen=True)
class SupervisorState:
    phase: str  # "starting", "up" or "failed"
    services: bool  # supervises the five services too, not only the stack
    message: str = ""
    component: str | None = None  # the part that failed to start
    error: str | None = None


def write_state(path: Path, state: SupervisorState) -> None:
    _write(path, asdict(state))


def read_state(path: Path) -> SupervisorState | None:
    try:
        return SupervisorState(**json.loads(path.read_text()))
    except (OSError, ValueError, TypeError):
        return None


@dataclass(frozen=True)
class RestartRecord:
    total: int
    recent: tuple[Restart, ...]


def read_restarts(path: Path) -> RestartRecord:
    try:
        data = json.loads(path.read_text())
        recent = tuple(Restart(**entry) for entry in data["recent"])
        return RestartRecord(int(data["total"]), recent)
    except (OSError, ValueError, KeyError, TypeError):
        return RestartRecord(0, ())


def record_restart(path: Path, restart: Restart) -> None:
    before = read_restarts(path)
    recent = [*before.recent, restart][-_KEPT_RESTARTS:]
    _write(path, {"total": before.total + 1, "recent": [asdict(r) for r in recent]})
