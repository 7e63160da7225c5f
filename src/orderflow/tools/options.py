"""Command-line options that more than one tool takes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from orderflow.access import KafkaAccess
    from orderflow.settings import Settings

ConnectTimeout = Annotated[
    float, typer.Option(min=0.1, help="Seconds to wait for the broker and the registry.")
]
"""How long a tool that talks to the broker and the registry waits for them to answer."""


def broker_address(text: str) -> str:
    """Brokers as ``host:port[,host:port…]``, or a usage error naming what is wrong
    with ``text``: the first few a client tries, as ``bootstrap.servers`` takes them."""
    brokers = [one_broker(part, text) for part in text.split(",")]
    return ",".join(brokers)


def one_broker(part: str, text: str) -> str:
    address = part.strip()
    if not address:
        raise typer.BadParameter(f"{text!r} has an empty broker between its commas")
    host, colon, port = address.rpartition(":")
    if not colon or not host or any(char.isspace() for char in address):
        raise typer.BadParameter(f"{address!r} is not host:port (like localhost:9092)")
    if ":" in host and not (host.startswith("[") and host.endswith("]")):
        raise typer.BadParameter(f"{address!r}: an IPv6 host goes in brackets, as [::1]:9092")
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise typer.BadParameter(f"{address!r} has no port in 1..65535 after its last ':'")
    return address


Bootstrap = Annotated[
    str | None,
    typer.Option(
        "--bootstrap-server",
        "-b",
        "--bootstrap",
        parser=broker_address,
        metavar="HOST:PORT[,HOST:PORT]",
        help=(
            "The brokers to use (as kcat -b), with the settings' TLS and SASL; "
            "default: ORDERFLOW_KAFKA_BOOTSTRAP_SERVERS, else ORDERFLOW_HOST:ORDERFLOW_KAFKA_PORT."
        ),
    ),
]
"""``-b``/``--bootstrap-server``, or ``--bootstrap`` as the examples spell it: the brokers."""


def bootstrap_of(settings: Settings, given: str | None) -> KafkaAccess:
    """The brokers a command talks to: those given on the command line, else the
    settings'; with the settings' credentials either way."""
    from orderflow.access import kafka_access  # when the command runs: see cli.py

    found = kafka_access(settings)
    return found if given is None else found.at(given)


def pointed_at(settings: Settings, given: str | None) -> Settings:
    """``settings`` with Kafka at the brokers given, for a command that hands Settings on."""
    if given is None:
        return settings
    return settings.model_copy(update={"kafka_bootstrap_servers": given})
