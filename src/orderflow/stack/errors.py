"""The one error the launcher raises: it names the component and its log."""

from __future__ import annotations

from pathlib import Path


class StackError(Exception):
    def __init__(self, component: str, problem: str, log: Path | None = None) -> None:
        self.component = component
        self.problem = problem
        self.log = log
        where = f" (log: {log})" if log else ""
        super().__init__(f"{component}: {problem}{where}")
