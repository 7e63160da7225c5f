"""`orderflow asyncapi` prints the document `GET /asyncapi.json` serves, and stays light."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from orderflow.cli import app
from orderflow.events.asyncapi import asyncapi_document
from orderflow.messaging.deadletters import DEAD_LETTER_TOPIC
from orderflow.services import SERVICES

PROBE = """
import sys
from orderflow.cli import main
sys.argv = ["orderflow", "asyncapi"]
try:
    main()
except SystemExit:
    pass
print("\\n".join(sys.modules), file=sys.stderr)
"""


def test_it_prints_the_document() -> None:
    shown = CliRunner().invoke(app, ["asyncapi"])

    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output) == asyncapi_document(SERVICES, DEAD_LETTER_TOPIC)


def test_it_loads_neither_fastapi_nor_the_registry_client() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    loaded = set(done.stderr.split())

    assert json.loads(done.stdout)["asyncapi"] == "3.0.0"
    assert not {"fastapi", "confluent_kafka.schema_registry", "psycopg"} & loaded
