"""Where each component keeps its data, config, log and pid file in the state folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StateLayout:
    root: Path

    def log(self, component: str) -> Path:
        return self.root / "logs" / f"{component}.log"

    def pid_file(self, component: str) -> Path:
        return self.root / "run" / f"{component}.pid"

    def data(self, component: str) -> Path:
        return self.root / "data" / component

    def config(self, name: str) -> Path:
        return self.root / "config" / name

    def restarts(self, component: str) -> Path:
        return self.root / "run" / f"{component}.restarts.json"

    def scale(self) -> Path:
        return self.root / "run" / "scale.json"

    def supervisor_state(self) -> Path:
        return self.root / "run" / "supervisor.json"
