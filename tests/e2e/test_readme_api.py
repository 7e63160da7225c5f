"""Every command of the README's "The HTTP API" section runs as written.

Only the OrderService's address is swapped for the test system's, and
``<orderId>`` for the order the section's ``POST`` placed.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from .system import System

ROOT = Path(__file__).resolve().parents[2]
SECTION = "## The HTTP API"


def section_commands(readme: str) -> list[str]:
    """The commands of the section's bash blocks, in order, their comments cut."""
    section = readme.split(SECTION, 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.DOTALL)
    lines = (line.split("   #", 1)[0].strip() for block in blocks for line in block.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def run(command: str) -> str:
    done = subprocess.run(
        command, shell=True, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, f"{command}: exit {done.returncode}\n{done.stderr}"
    return done.stdout


def test_the_sections_calls_place_follow_and_show_one_order(system: System) -> None:
    commands = section_commands((ROOT / "README.md").read_text())
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
