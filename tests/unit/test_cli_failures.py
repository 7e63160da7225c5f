"""`orderflow` fails with one line naming the problem, and the exit code scripts expect."""

from __future__ import annotations

import httpx
import pytest

from orderflow.cli import main
from orderflow.failures import explain
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
    ("argv", "problem"),
    [
        ([], "missing command (see: orderflow --help)"),
        (["stack"], "missing command (see: orderflow stack --help)"),
        (["--bogus"], "No such option: --bogus (see: orderflow --help)"),
        (["stack", "up", "--quux"], "No such option: --quux (see: orderflow stack up --help)"),
        (["nosuchcommand"], "No such command 'nosuchcommand'"),
        (["produce"], "Missing argument 'topic'"),
        (["bench", "--rate", "abc"], "Invalid value for '--rate'"),
        (["inventory", "set", "item1", "many"], "Invalid value for 'available'"),
        (["topics", "create", "t", "--partitions", "0"], "Invalid value for '--partitions'"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    problem: str,
) -> None:
    code, lines = run(argv, monkeypatch, capsys)

    assert code == 2
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ")
    assert problem in lines[0]


@pytest.mark.parametrize("value", ["0", "70000", "http"])
def test_a_bad_port_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    monkeypatch.setenv("ORDERFLOW_ORDER_PORT", value)

    code, lines = run(["status"], monkeypatch, capsys)

    assert code == 1
    assert len(lines) == 1, lines
    assert "ORDERFLOW_ORDER_PORT" in lines[0]


@pytest.mark.parametrize(
    "argv",
    [["inventory", "list"], ["payment", "balance", "u1"], ["inventory", "set", "item1", "3"]],
)
def test_an_unreachable_postgres_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    (nobody,) = free_ports(1)
    monkeypatch.setenv("ORDERFLOW_POSTGRES_PORT", str(nobody))

    code, lines = run(argv, monkeypatch, capsys)

    assert code == 1
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: Postgres is unreachable")
    assert f"port {nobody}" in lines[0]


def test_help_still_exits_0(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run(["stack", "--help"], monkeypatch, capsys)

    assert code == 0


def test_an_unreachable_http_service_names_its_url() -> None:
    request = httpx.Request("GET", "http://127.0.0.1:9/order/status")
    failure = explain(httpx.ConnectError("Connection refused", request=request))

    assert failure is not None
    assert failure.message.startswith("http://127.0.0.1:9/order/status is unreachable")
    assert explain(ValueError("a bug")) is None


def test_a_pool_that_never_connects_is_postgres_unreachable() -> None:
    # A service whose Postgres vanishes between its start-up probe and its pool.
    from psycopg_pool import PoolTimeout

    failure = explain(PoolTimeout("pool initialization incomplete after 30.0 sec"))

    assert failure is not None
    assert failure.message.startswith("Postgres is unreachable: pool initialization incomplete")
    assert failure.exit_code == 1
