"""Every command of the README's "Dead letters" section runs as written.

Only ``.venv/bin`` is swapped for this interpreter's, and the settings for the
test system's. Run after the replay test (file order) there is a dead letter
to list; on its own the topic may be empty, and the commands must work then too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from .system import System

SECTION = "## Dead letters"


def test_the_sections_commands_run_as_written(
    system: System, readme_commands: Callable[[str], list[str]]
) -> None:
    commands = readme_commands(SECTION)
    assert [c.split()[1:3] for c in commands] == [["dead-letters", "list"]] * 2 + [
        ["dead-letters", "replay"]
    ]
    env = {**os.environ, **system.settings.as_env()}
    outputs = []
    for command in commands:
        done = subprocess.run(
            command.replace(".venv/bin", str(Path(sys.executable).parent)),
            shell=True, capture_output=True, text=True, timeout=120, env=env, check=False,
        )  # fmt: skip
        assert done.returncode == 0, f"{command}: exit {done.returncode}: {done.stderr}"
        outputs.append(done.stdout)

    rows = [json.loads(line) for line in outputs[1].splitlines()]
    assert all({"id", "origin_topic", "group", "reason"} <= row.keys() for row in rows)
    # A dry run names the records it would send (one for the dead letters of one
    # record by two groups), and sends none.
    would = outputs[2].count("would send")
    assert (0 < would <= len(rows)) if rows else would == 0, outputs[2]
    assert "\nsent " not in "\n" + outputs[2]
