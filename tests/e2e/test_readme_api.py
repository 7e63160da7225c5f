"""Every command of the README's "The HTTP API" section runs as written.

Only the OrderService's address is swapped for the test system's, and
``<orderId>`` for the order the section's ``POST`` placed.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable

from .system import System

SECTION = "## The HTTP API"


def run(command: str) -> str:
    done = subprocess.run(
        command, shell=True, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, f"{command}: exit {done.returncode}\n{done.stderr}"
    return done.stdout


def test_the_sections_calls_place_follow_and_show_one_order(
    system: System, readme_commands: Callable[[str], list[str]]
) -> None:
    commands = readme_commands(SECTION)
    assert commands[0].startswith("curl -s -X POST")
    here = f"{system.settings.host}:{system.settings.order_port}"

    placed = json.loads(run(commands[0].replace("localhost:8080", here)))
    order_id = placed["orderId"]
    answers = [
        run(command.replace("localhost:8080", here).replace("<orderId>", order_id))
        for command in commands[1:]
    ]

    retried, detail, stream = answers
    # The retry carries the first one's Idempotency-Key: the same order, not a second.
    assert json.loads(retried)["orderId"] == order_id
    # The stream ends at the order's terminal status, which the detail then shows too.
    statuses = [
        json.loads(line[5:])["status"] for line in stream.splitlines() if line.startswith("data:")
    ]
    assert statuses[-1] == "Paid", stream
    assert statuses[0] == "Order Created"
    shown = json.loads(detail)
    assert shown["orderId"] == order_id
    assert shown["items"] == ["item1"]
