"""Argument checks of `orderflow produce|consume|topics|lag`, and -b, that need no broker.

A usage error is one line and exit 2, before anything connects; -b's broker,
given at a port nobody listens on, is the one the failure names.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from orderflow.cli import app, main
from orderflow.stack.ports import free_ports


def run(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[str]]:
    monkeypatch.setattr("sys.argv", ["orderflow", *argv])
    with pytest.raises(SystemExit) as exited:
        main()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), capsys.readouterr().err.splitlines()


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["produce", "t", "--key", "k", "--key-separator", ":"], "--key or --key-separator"),
        (["produce", "t", "--schema", "a.avsc", "--subject", "s"], "--schema or --subject"),
        (["consume", "t", "--offset", "5"], "--offset 5 is a place in one partition"),
        (["consume", "t", "-o", "later"], "'later' is not an offset"),
        (["consume", "t", "--group", "g", "--partition", "1"], "--group resumes at the group's"),
        (["consume", "t", "--group", "g", "--offset", "end"], "--group resumes at the group's"),
        (["consume", "t", "--from-end", "-o", "-3"], "--offset or --from-beginning/--from-end"),
        (["consume", "t", "--partition", "-1"], "Invalid value for '--partition'"),
        (["consume", "t", "--format", "yaml"], "Invalid value for '--format'"),
        (["consume", "t", "-b", "localhost"], "'localhost' is not host:port"),
        (["topics", "list", "--bootstrap", "a:1,b"], "'b' is not host:port"),
        (["lag", "--bootstrap-server", "host:99999"], "has no port in 1..65535"),
        # Tests run without a terminal on stdin: nobody could answer the question.
        (["topics", "delete", "t"], "needs a yes, and stdin is no terminal: add --yes"),
    ],
)
def test_usage_errors_are_one_line_exit_2_before_connecting(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    problem: str,
) -> None:
    # Were anything to connect, it would fail differently: no broker listens there.
    (nobody,) = free_ports(1)
    monkeypatch.setenv("ORDERFLOW_KAFKA_PORT", str(nobody))

    code, lines = run(args, monkeypatch, capsys)

    assert code == 2, lines
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ")
    assert problem in lines[0]


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


LIST = ["topics", "list", "--timeout", "0.2"]


@pytest.mark.parametrize(
    ("command", "spelling"),
    [
        *((LIST, spelling) for spelling in ("-b", "--bootstrap-server", "--bootstrap")),
        (["topics", "create", "t", "--timeout", "0.2"], "-b"),
        (["topics", "describe", "t", "--timeout", "0.2"], "-b"),
        (["topics", "delete", "t", "--yes", "--timeout", "0.2"], "-b"),
        (["produce", "t", "--value", "x", "--timeout", "0.2"], "-b"),
        (["consume", "t", "--connect-timeout", "0.2"], "-b"),
        (["lag", "--timeout", "0.2"], "-b"),
    ],
)
def test_the_broker_given_is_the_one_asked(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    spelling: str,
) -> None:
    settings_port, given_port = free_ports(2)
    monkeypatch.setenv("ORDERFLOW_KAFKA_PORT", str(settings_port))

    code, lines = run([*command, spelling, f"127.0.0.1:{given_port}"], monkeypatch, capsys)

    assert code == 1
    assert lines == [
        f"error: no Kafka broker answered at 127.0.0.1:{given_port} within 0.2 s; "
        "is the stack up? (orderflow stack up)"
    ]


def test_every_tool_command_is_wired() -> None:
    shown = CliRunner().invoke(app, ["--help"]).output
    for command in ("topics", "produce", "consume", "lag"):
        assert command in shown
    topics = CliRunner().invoke(app, ["topics", "--help"]).output
    for command in ("create", "list", "describe", "delete"):
        assert command in topics


def test_a_reader_schema_that_does_not_parse_is_one_line_before_connecting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    schema = tmp_path / "broken.avsc"
    schema.write_text('{"type": "record", "name": "X", "fields": [{"name": "a"}]}')
    (dead,) = free_ports(1)

    code, err = run(
        ["consume", "t", "--reader-schema", str(schema), "-b", f"127.0.0.1:{dead}"],
        monkeypatch,
        capsys,
    )

    assert code == 1
    assert len(err) == 1
    assert f"{schema} is not an Avro schema: " in err[0]
    assert "missing 'type'" in err[0]


def test_a_reader_schema_that_is_not_there_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, err = run(
        ["consume", "t", "--reader-schema", str(tmp_path / "none.avsc")], monkeypatch, capsys
    )

    assert code == 2
    assert len(err) == 1
    assert "--reader-schema" in err[0]
