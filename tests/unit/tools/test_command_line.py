"""Argument checks of `orderflow produce|consume|topics` that need no broker."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from orderflow.cli import app
from orderflow.tools.errors import ToolError


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["produce", "t", "--key", "k", "--key-separator", ":"], "--key or --key-separator"),
        (["produce", "t", "--schema", "a.avsc", "--subject", "s"], "--schema or --subject"),
    ],
)
def test_conflicting_options_are_refused_before_connecting(args: list[str], problem: str) -> None:
    result = CliRunner().invoke(app, args)
    assert isinstance(result.exception, ToolError)
    assert problem in str(result.exception)


@pytest.mark.parametrize(
    "args",
    [
        ["consume", "t", "--max", "0"],
        ["consume", "t", "--timeout", "0"],
        ["topics", "create", "t", "--partitions", "0"],
        ["produce", "t", "--timeout", "-1"],
    ],
)
def test_out_of_range_numbers_are_usage_errors(args: list[str]) -> None:
    assert CliRunner().invoke(app, args).exit_code == 2


def test_every_tool_command_is_wired() -> None:
    shown = CliRunner().invoke(app, ["--help"]).output
    for command in ("topics", "produce", "consume"):
        assert command in shown
    topics = CliRunner().invoke(app, ["topics", "--help"]).output
    for command in ("create", "list", "describe", "delete"):
        assert command in topics
