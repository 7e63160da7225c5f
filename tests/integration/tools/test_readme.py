"""Every command of the README's "Producer and consumer" section runs as written.

Only the broker's address and the virtualenv are swapped for the test stack's;
a console producer gets two typed lines, and a command that runs until Ctrl-C
gets it once it has printed what it read.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from orderflow.access import kafka_access
from orderflow.events.topics import ALL_TOPICS
from orderflow.messaging.topics import ensure_topics
from orderflow.settings import Settings

from .running import ROOT, TIMEOUT_S, Background, environment

pytestmark = pytest.mark.stack

SECTION = "## Producer and consumer"
ReadmeCommands = Callable[[str], list[str]]
TYPED = "k1:hello\nk2:world\n"


def runs_until_interrupted(command: str) -> bool:
    return "Ctrl-C" in command or "kafka-console-consumer" in command


def as_in_the_test_stack(command: str, settings: Settings) -> str:
    venv_bin = str(Path(sys.executable).parent)
    return command.replace("localhost:9092", settings.kafka_bootstrap).replace(
        ".venv/bin", venv_bin
    )


def test_the_section_has_the_originals_steps(readme_commands: ReadmeCommands) -> None:
    commands = readme_commands(SECTION)
    for step in ("--create", "--list", "kafka-console-producer", "kafka-console-consumer"):
        assert any(step in command for command in commands), step
    assert all("--zookeeper" not in command for command in commands)


def test_every_command_runs_as_written(stack: Settings, readme_commands: ReadmeCommands) -> None:
    # `make run` starts the services, which create the system's topics.
    ensure_topics(kafka_access(stack), ALL_TOPICS, stack.topic_partitions)
    for command in readme_commands(SECTION):
        shell = as_in_the_test_stack(command, stack)
        if runs_until_interrupted(command):
            _run_until_interrupted(stack, command, shell)
            continue
        typed = TYPED if "kafka-console-producer" in command else None
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", shell], input=typed, capture_output=True,
            text=True, cwd=ROOT, env=environment(stack), timeout=TIMEOUT_S, check=False,
        )  # fmt: skip
        assert done.returncode == 0, f"{command}\n{done.stderr}"


def _run_until_interrupted(stack: Settings, command: str, shell: str) -> None:
    program = Background(stack, "bash", "-c", shell)
    try:
        # Two lines: a banner is not enough, something must have been read.
        program.wait_for_lines(2)
        # The whole group, as Ctrl-C in a terminal: bash and what it started.
        os.killpg(program.process.pid, signal.SIGINT)
        code = program.process.wait(timeout=TIMEOUT_S)
        # Python ends cleanly (0); the JVM reports the signal (128 + SIGINT).
        assert code in {0, 128 + signal.SIGINT}, f"{command}: exit {code}"
    finally:
        program.stop()
