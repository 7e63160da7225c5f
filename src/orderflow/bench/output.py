"""The report folder of a run: ``report.json``, ``summary.md`` and ``latency.png``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from orderflow.bench import summary

REPORT = "report.json"
SUMMARY = "summary.md"
PLOT = "latency.png"


def default_folder(root: Path, started_at: float) -> Path:
    stamp = datetime.fromtimestamp(started_at, UTC).strftime("%Y%m%dT%H%M%SZ")
    return root / stamp


def write(report: dict[str, Any], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / REPORT).write_text(json.dumps(report, indent=1, allow_nan=False))
    (folder / SUMMARY).write_text(summary.render(report))
    # matplotlib and numpy load here, not at import: every `orderflow` command
    # imports this module through the CLI, the services' processes included.
    from orderflow.bench import plot

    plot.draw(report, folder / PLOT)


def read(path: Path) -> dict[str, Any]:
    """A report from its folder or its ``report.json``."""
    file = path / REPORT if path.is_dir() else path
    found: dict[str, Any] = json.loads(file.read_text())
    return found
