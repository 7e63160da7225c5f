"""Each example explains itself with --help, its defaults coming from Settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.mark.parametrize(
    "example", ["producer.py", "consumer.py", "avro_producer.py", "avro_consumer.py"]
)
def test_help(example: str) -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / example), "--help"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "--bootstrap" in done.stdout
    assert "--topic" in done.stdout
