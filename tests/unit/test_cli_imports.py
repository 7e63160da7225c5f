"""Building the `orderflow` CLI loads no command's machinery.

Each command imports its clients, servers and plots in its body. One of them
imported at module level anywhere under `orderflow.cli` would add its load
time to `orderflow --help` and to every other command.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from orderflow.cli import app
from orderflow.failures import Failure, explain
from orderflow.stack.components import STACK

# What each costs to load after typer and rich (python -X importtime): from
# 16 ms (psutil, a sign of the launcher) to 640 ms (matplotlib.pyplot).
HEAVY = (
    "aiohttp",
    "matplotlib",
    "numpy",
    "fastapi",
    "uvicorn",
    "psycopg",
    "psycopg_pool",
    "httpx",
    "httpx2",
    "fastavro",
    "psutil",
    "confluent_kafka.schema_registry",
)

# Runs the CLI as the console script does, then lists what got loaded.
PROBE = """
import sys
from orderflow.cli import main
sys.argv = ["orderflow", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print("\\n".join(sys.modules), file=sys.stderr)
"""


def loaded_by(argv: list[str]) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=True
    )
    return set(done.stderr.split())


def heavy(modules: set[str]) -> list[str]:
    return [h for h in HEAVY if any(m == h or m.startswith(f"{h}.") for m in modules)]


# `chaos --help` also runs the callback that builds the Settings.
@pytest.mark.parametrize("argv", [["--help"], ["chaos", "--help"]])
def test_help_loads_no_heavy_library(argv: list[str]) -> None:
    modules = loaded_by(argv)

    assert "orderflow.cli" in modules
    assert heavy(modules) == []


def test_the_logs_help_names_the_components_though_it_loads_them_late() -> None:
    shown = CliRunner().invoke(app, ["stack", "logs", "--help"], env={"COLUMNS": "200"})

    assert shown.exit_code == 0, shown.output
    assert "One of: " + ", ".join(c.name for c in STACK) in shown.output


def test_explain_knows_the_errors_of_the_modules_it_does_not_import() -> None:
    # failures.py looks for these classes only among loaded modules; this test loaded them.
    import psycopg

    from orderflow.events.registration import SchemaRegistrationError
    from orderflow.settings import SettingsError

    for error in (SchemaRegistrationError("refused"), SettingsError("bad ORDERFLOW_X")):
        assert explain(error) == Failure(str(error), 1)
    unreachable = explain(psycopg.OperationalError("connection refused"))
    assert unreachable is not None
    assert unreachable.message.startswith("Postgres is unreachable: connection refused")
