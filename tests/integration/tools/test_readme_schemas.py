"""Every command of the README's "A schema evolving" section runs as written.

As test_readme does for "Producer and consumer": only the broker's address and
the virtualenv are swapped for the test stack's, and a command that runs until
Ctrl-C gets it once it has printed what it read. A command the README marks
``# refused (409): REASON`` must fail: exit 1, one ``error:`` line naming
REASON, and the subject left as it was (the schema refused is not registered).
What the walkthrough claims is then checked on what the commands printed.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
from dataclasses import dataclass

import httpx
import pytest

from orderflow.settings import Settings

from .running import ROOT, TIMEOUT_S, Background, environment
from .test_readme import ReadmeCommands, as_in_the_test_stack, runs_until_interrupted

pytestmark = pytest.mark.stack

SECTION = "## A schema evolving"
SUBJECT = "quickstart-avro-value"
REFUSED = re.compile(r"#\s*refused \((\d{3})\): (\S+)\s*$")
# The old consumer is done once it has printed the record of version 2.
V2_RECORD = "'channel': 'app'"


@dataclass(frozen=True)
class Ran:
    command: str
    code: int
    out: str
    err: str


def test_the_section_walks_a_schema_through_its_versions(readme_commands: ReadmeCommands) -> None:
    commands = readme_commands(SECTION)
    for step in (
        "orderflow schemas list",
        "orderflow schemas show quickstart-avro-value",
        "orderflow schemas check examples/order_placed_v2.avsc",
        "--schema examples/order_placed_v2.avsc",
        "examples/avro_consumer.py",
        "orderflow schemas check examples/order_placed_incompatible.avsc",
        "--schema examples/order_placed_incompatible.avsc",
    ):
        assert any(step in command for command in commands), step
    refused = [command for command in commands if REFUSED.search(command)]
    # Both ways of meeting the refusal: asking first, and producing anyway.
    assert [("schemas check" in c, "produce" in c) for c in refused] == [
        (True, False),
        (False, True),
    ]
    assert all("order_placed_incompatible.avsc" in command for command in refused)


def test_every_command_runs_as_written(stack: Settings, readme_commands: ReadmeCommands) -> None:
    ran: list[Ran] = []
    for command in readme_commands(SECTION):
        shell = as_in_the_test_stack(command, stack)
        if runs_until_interrupted(command):
            ran.append(_run_until_interrupted(stack, command, shell))
            continue
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True,
            cwd=ROOT, env=environment(stack), timeout=TIMEOUT_S, check=False,
        )  # fmt: skip
        refused = REFUSED.search(command)
        if refused is None:
            assert done.returncode == 0, f"{command}\n{done.stderr}"
        else:
            _assert_refused(stack, command, done, reason=refused.group(2))
        ran.append(Ran(command, done.returncode, done.stdout, done.stderr))

    _assert_what_the_walkthrough_says(stack, ran)


def _assert_refused(
    stack: Settings, command: str, done: subprocess.CompletedProcess[str], reason: str
) -> None:
    lines = done.stderr.splitlines()
    assert done.returncode == 1, f"{command}: exit {done.returncode}\n{done.stderr}"
    assert len(lines) == 1, f"{command}: not one line\n{done.stderr}"
    assert lines[0].startswith("error: "), lines
    assert "incompatible" in lines[0], lines
    assert reason in lines[0], lines
    assert "coupon" not in _latest_fields(stack), "the refused schema was registered"


def _latest_fields(stack: Settings) -> list[str]:
    answer = httpx.get(f"{stack.registry_url}/subjects/{SUBJECT}/versions/latest", timeout=10)
    answer.raise_for_status()
    return [field["name"] for field in json.loads(answer.json()["schema"])["fields"]]


def _assert_what_the_walkthrough_says(stack: Settings, ran: list[Ran]) -> None:
    def output(*parts: str, without: str = "\0") -> str:
        found = [r for r in ran if all(p in r.command for p in parts) and without not in r.command]
        assert found, parts
        return found[0].out

    listed = output("schemas list").splitlines()
    assert listed[0].split() == ["SUBJECT", "VERSION", "ID", "COMPATIBILITY"]
    assert any(line.split()[0] == SUBJECT for line in listed[1:]), listed
    assert json.loads(output("schemas show", SUBJECT))["name"] == "OrderPlaced"
    assert '+ channel: string (default "web")' in output("schemas diff", "order_placed_v2.avsc")
    assert "is compatible with" in output("schemas check", "order_placed_v2.avsc")
    # The two latest versions, once producing with version 2 has registered it.
    assert '+ channel: string (default "web")' in output("schemas diff", without="--file")
    diffed_incompatible = output("schemas diff", "order_placed_incompatible.avsc")
    assert "+ coupon: string (no default)" in diffed_incompatible
    # One consumer, records of two versions: each decoded with its writer's schema.
    values = [json.loads(line) for line in output("consume", "--avro").splitlines()]
    by_order = {value["order_id"]: value for value in values}
    assert "channel" not in by_order["o-1"]
    assert by_order["o-2"]["channel"] == "app"
    assert V2_RECORD in output("examples/avro_consumer.py")
    # Consumers built on a schema of their own: each record resolved to it.
    as_v1 = [
        json.loads(line)
        for line in output("--reader-schema examples/order_placed.avsc").splitlines()
    ]
    assert {v["order_id"] for v in as_v1} >= {"o-1", "o-2"}
    assert all("channel" not in v for v in as_v1)
    as_v2 = [
        json.loads(line)
        for line in output("--reader-schema examples/order_placed_v2.avsc").splitlines()
    ]
    channels = {v["order_id"]: v["channel"] for v in as_v2}
    assert (channels["o-1"], channels["o-2"]) == ("web", "app")
    assert _latest_fields(stack)[-1] == "channel"


def _run_until_interrupted(stack: Settings, command: str, shell: str) -> Ran:
    program = Background(stack, "bash", "-c", shell)
    try:
        # Until it has printed the record of version 2, whatever it read before it.
        count = 1
        while V2_RECORD not in program.wait_for_lines(count)[-1]:
            count += 1
        # The whole group, as Ctrl-C in a terminal: bash and what it started.
        os.killpg(program.process.pid, signal.SIGINT)
        code = program.process.wait(timeout=TIMEOUT_S)
        assert code == 0, f"{command}: exit {code}"
        return Ran(command, code, "\n".join(program.lines), "")
    finally:
        program.stop()
