"""What the unit tests share."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def no_machine_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No ORDERFLOW_* variable and no .env file of the machine reaches the settings:
    for a test of what the settings make of what it gives them alone."""
    for name in list(os.environ):
        if name.startswith("ORDERFLOW_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
