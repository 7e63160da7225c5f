"""Every help page of `orderflow`: a flag alone, a value option with its type, names whole."""

from __future__ import annotations

import re

import pytest
from typer._click import Command
from typer.core import TyperGroup
from typer.main import get_command
from typer.testing import CliRunner

from orderflow.cli import app, main

ROOT = get_command(app)


def commands() -> dict[tuple[str, ...], Command]:
    """Every command and subcommand of the app, by the words that name it (the app's: ())."""
    found: dict[tuple[str, ...], Command] = {}
    pending: list[tuple[tuple[str, ...], Command]] = [((), ROOT)]
    while pending:
        path, command = pending.pop()
        found[path] = command
        if isinstance(command, TyperGroup):
            pending += [((*path, name), sub) for name, sub in command.commands.items()]
    return found


COMMANDS = commands()


def help_of(path: tuple[str, ...]) -> str:
    # As without a terminal: CliRunner makes click write at 80 columns.
    shown = CliRunner().invoke(app, [*path, "--help"])
    assert shown.exit_code == 0, shown.output
    return shown.output


def test_the_walk_reaches_every_level() -> None:
    assert {(), ("stack",), ("stack", "logs"), ("topics", "create"), ("bench",)} <= set(COMMANDS)


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=lambda path: " ".join(path) or "orderflow")
def test_no_help_page_gives_a_flag_a_value(path: tuple[str, ...]) -> None:
    assert "<bool>" not in help_of(path)


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=lambda path: " ".join(path) or "orderflow")
def test_every_option_name_is_shown_whole(path: tuple[str, ...]) -> None:
    shown = help_of(path)
    names = [
        name
        for param in COMMANDS[path].params
        if not getattr(param, "hidden", False)
        for name in (*param.opts, *param.secondary_opts)
        if name.startswith("-")
    ]

    cut = [name for name in names if not re.search(rf"(?<![\w-]){name}(?![\w-])", shown)]
    assert cut == [], shown


def test_a_long_option_name_is_whole_at_80_columns() -> None:
    # The longest of the CLI's: a table of rich's cut them to --replication-fa… and
    # --no-if-not-exi… at this width.
    assert "--if-not-exists / --no-if-not-exists" in help_of(("topics", "create"))
    assert "--replication-factor <int range>" in help_of(("topics", "create"))


def test_a_flag_stands_alone_and_a_value_option_names_its_value() -> None:
    lines = [line.strip() for line in help_of(("stack", "logs")).splitlines()]

    (follow,) = [line for line in lines if line.startswith("-f, --follow ")]
    assert follow.removeprefix("-f, --follow ").lstrip().startswith("Then print")
    assert any(line.startswith("-n, --lines <int range> ") for line in lines)


def run_main(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int | str | None, str, str]:
    monkeypatch.setattr("sys.argv", ["orderflow", *argv])
    with pytest.raises(SystemExit) as exited:
        main()
    out, err = capsys.readouterr()
    return exited.value.code, out, err


def test_help_is_as_wide_as_the_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "150")

    code, out, _ = run_main(["--help"], monkeypatch, capsys)

    assert code == 0
    # click stops at 80 columns unless told otherwise, and cuts the commands' summaries.
    assert 80 < max(len(line) for line in out.splitlines()) <= 150
    # The summary whole, after a column as wide as the longest command's name.
    assert re.search(
        r"\n  run +Run one service in the foreground, in its own terminal, as in the original\.\n",
        out,
    )


def test_a_group_without_a_command_prints_its_help_and_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_main(["stack"], monkeypatch, capsys)

    assert code == 2
    assert out.startswith("Usage: orderflow stack [OPTIONS] COMMAND [ARGS]...")
    assert "logs" in out
    assert err.splitlines() == ["error: missing command (see: orderflow stack --help)"]
