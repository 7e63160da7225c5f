"""Command-line options that more than one tool takes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from orderflow.settings import Settings

ConnectTimeout = Annotated[
    float, typer.Option(min=0.1, help="Seconds to wait for the broker and the registry.")
]
"""How long a tool that talks to the broker and the registry waits for them to answer."""


def broker_address(text: str) -> str:
    """One broker as ``host:port``, or a usage error saying what is wrong with ``text``.

    One, not a list: `orderflow lag` hands the broker to its child as Settings,
    which hold one host and one port, and every tool takes the same option.
    """
    address = text.strip()
    if "," in address:
        raise typer.BadParameter(f"{text!r} is a list; give one broker as host:port")
    host, colon, port = address.rpartition(":")
    if not colon or not host or any(char.isspace() for char in address):
        raise typer.BadParameter(f"{text!r} is not host:port (like localhost:9092)")
    if ":" in host and not (host.startswith("[") and host.endswith("]")):
        raise typer.BadParameter(f"{text!r}: an IPv6 host goes in brackets, as [::1]:9092")
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise typer.BadParameter(f"{text!r} has no port in 1..65535 after its last ':'")
    return address


Bootstrap = Annotated[
    str | None,
    typer.Option(
        "--bootstrap-server",
        "-b",
        "--bootstrap",
        parser=broker_address,
        metavar="HOST:PORT",
        help="The broker to use (as kcat -b); default: ORDERFLOW_HOST:ORDERFLOW_KAFKA_PORT.",
    ),
]
"""``-b``/``--bootstrap-server``, or ``--bootstrap`` as the examples spell it: this run's broker."""


def bootstrap_of(settings: Settings, given: str | None) -> str:
    """The broker a command talks to: the one given on the command line, else the settings'."""
    return settings.kafka_bootstrap if given is None else given


def pointed_at(settings: Settings, given: str | None) -> Settings:
    """``settings`` with Kafka at the broker given, for a command that hands Settings on.

    Only for a command that reaches nothing but Kafka (`orderflow lag`): the
    host is every server's, so the copy moves the registry's and the rest too.
    """
    if given is None:
        return settings
    host, _, port = given.rpartition(":")
    return settings.model_copy(update={"host": host, "kafka_port": int(port)})
