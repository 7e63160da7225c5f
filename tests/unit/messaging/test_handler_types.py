"""The type checker sees which event a decision takes: a wrong table fails mypy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

_TABLE = """
from orderflow.messaging.decision import Handlers, on
from orderflow.events.model import {registered}
from orderflow.services.inventory.domain import StockMove, StockView
from orderflow.services.inventory.handlers import reserve_stock

HANDLERS = Handlers[StockView, StockMove](on({registered}, reserve_stock))
"""


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # One cache for both runs: the second checks only the table, not orderflow again.
    return tmp_path_factory.mktemp("mypy-cache")


def _mypy(source: str, tmp_path: Path, cache_dir: Path) -> tuple[str, int]:
    module = tmp_path / "table.py"
    module.write_text(source)
    # A process of its own: mypy raises the recursion limit of the process it runs in,
    # which would change what other tests' deep-nesting checks see.
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache_dir), str(module)],
        capture_output=True,
        text=True,
        check=False,
    )
    return checked.stdout, checked.returncode


def test_a_decision_registered_for_its_own_event_type_checks(
    tmp_path: Path, cache_dir: Path
) -> None:
    out, status = _mypy(_TABLE.format(registered="OrderCreated"), tmp_path, cache_dir)

    assert status == 0, out


def test_a_decision_registered_for_another_event_type_fails_mypy(
    tmp_path: Path, cache_dir: Path
) -> None:
    out, status = _mypy(_TABLE.format(registered="PaymentDeclined"), tmp_path, cache_dir)

    assert status == 1
    assert 'Argument 2 to "on" has incompatible type' in out
