"""One check's result."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    name: str
    violations: int
    detail: str

    @property
    def passed(self) -> bool:
        return self.violations == 0
