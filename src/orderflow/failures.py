"""What the `orderflow` command prints for a failure it knows: one line, never a traceback.

A usage error (unknown option, missing argument, bad value) would otherwise be
click's usage block and a framed panel; an unreachable Postgres or HTTP
service would be a traceback. Each becomes ``error: <what went wrong>`` with
the exit code a shell script expects (2 for usage, 1 otherwise).
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer

from orderflow.stack.errors import StackError
from orderflow.tools.errors import ToolError

if TYPE_CHECKING:
    import httpx

_USAGE = 2


@dataclass(frozen=True)
class Failure:
    message: str
    exit_code: int


class MissingExtraError(Exception):
    """A command needs an optional extra of the package (pyproject.toml) that is not installed."""


def require_extra(command: str, extra: str, *modules: str) -> None:
    """Load ``modules``, libraries of ``extra``, or raise MissingExtraError saying what to install.

    Called before a command starts its work, so that a run does not fail at its
    end (the benchmark's plot) for a library it lacks.
    """
    for module in modules:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            raise MissingExtraError(
                f"{command} needs the {extra} extra: pip install 'orderflow[{extra}]'"
            ) from error


def explain(error: Exception) -> Failure | None:
    """The one line for ``error``, or None when it is not a failure we know."""
    if isinstance(error, _ours()):
        return Failure(str(error), 1)
    if isinstance(error, typer.TyperException):
        # click's errors, as typer vendors them; usage errors carry the command.
        # A group run without a command has printed its help; its error says nothing.
        message = error.format_message() or "missing command"
        context = getattr(error, "ctx", None)
        if context is not None and error.exit_code == _USAGE:
            message += f" (see: {context.command_path} --help)"
        return Failure(message, error.exit_code)
    if isinstance(error, typer.Abort):
        return Failure("aborted", 1)
    if _loaded("psycopg"):
        import psycopg

        if isinstance(error, psycopg.OperationalError):
            text = str(error).strip()
            first = text.splitlines()[0] if text else type(error).__name__
            return Failure(
                f"Postgres is unreachable: {first} (is the stack up? ORDERFLOW_POSTGRES_PORT)", 1
            )
    if _loaded("httpx"):
        import httpx

        if isinstance(error, httpx.TransportError):
            where = error.request.url if _has_request(error) else "the server"
            return Failure(f"{where} is unreachable ({type(error).__name__}: {error})", 1)
    return None


def _loaded(module: str) -> bool:
    # An error can be raised only once the module of its class is loaded. Asking
    # sys.modules instead of importing spares every command, `--help` included,
    # loading pydantic, psycopg, httpx and the registry client to build this check.
    return module in sys.modules


def _ours() -> tuple[type[Exception], ...]:
    ours: list[type[Exception]] = [StackError, ToolError, MissingExtraError]
    if _loaded("orderflow.settings"):
        from orderflow.settings import SettingsError

        ours.append(SettingsError)
    if _loaded("orderflow.messaging.dependencies"):
        from orderflow.messaging.dependencies import DependencyUnavailable

        ours.append(DependencyUnavailable)
    if _loaded("orderflow.events.registration"):
        from orderflow.events.registration import SchemaRegistrationError

        ours.append(SchemaRegistrationError)
    return tuple(ours)


def _has_request(error: httpx.TransportError) -> bool:
    try:
        error.request  # noqa: B018 - httpx raises when the error carries no request
    except RuntimeError:
        return False
    return True
