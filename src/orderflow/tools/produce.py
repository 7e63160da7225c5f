"""`orderflow produce`: send lines from stdin (or --value) to a topic, as text or as Avro."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from confluent_kafka import KafkaError, Message, Producer

from orderflow.tools.broker import Broker, client_config
from orderflow.tools.errors import ToolError
from orderflow.tools.keyed_lines import KeyedLine, keyed_lines
from orderflow.tools.options import Bootstrap, ConnectTimeout, bootstrap_of

if TYPE_CHECKING:
    from orderflow.settings import Settings
    from orderflow.tools.avro import Registry

Encode = Callable[[KeyedLine], bytes]


def _text(line: KeyedLine) -> bytes:
    return line.value.encode()


def _avro_encoder(registry: Registry, topic: str, schema: Path | None, subject: str) -> Encode:
    serialize = (
        registry.serializer_from_file(topic, schema)
        if schema is not None
        else registry.serializer_from_subject(topic, subject)
    )

    def encode(line: KeyedLine) -> bytes:
        try:
            value = json.loads(line.value)
        except json.JSONDecodeError as error:
            raise ToolError(f"line {line.number} is not JSON: {error.msg}") from None
        try:
            return serialize(value)
        except ToolError:
            raise
        except Exception as error:
            # fastavro says what does not fit, in its own exception types.
            raise ToolError(f"line {line.number} does not fit the schema: {error}") from None

    return encode


def produce(
    ctx: typer.Context,
    topic: Annotated[str, typer.Argument(help="The topic to send to; it must exist.")],
    value: Annotated[
        list[str] | None,
        typer.Option("--value", help="A message to send; repeatable. Without it: stdin lines."),
    ] = None,
    key: Annotated[str | None, typer.Option(help="The key of every message.")] = None,
    key_separator: Annotated[
        str | None, typer.Option(help="Split each line at this into key and value.")
    ] = None,
    schema: Annotated[
        Path | None,
        typer.Option(help="An .avsc: values are JSON, sent as Avro under <topic>-value."),
    ] = None,
    subject: Annotated[
        str | None, typer.Option(help="Send JSON values as Avro with this subject's schema.")
    ] = None,
    bootstrap: Bootstrap = None,
    timeout: ConnectTimeout = 10.0,
) -> None:
    """Send messages to a topic: text, or Avro in the Confluent wire format."""
    settings: Settings = ctx.obj
    if key is not None and key_separator is not None:
        ctx.fail("give --key or --key-separator, not both")
    if schema is not None and subject is not None:
        ctx.fail("give --schema or --subject, not both")
    broker = Broker(bootstrap_of(settings, bootstrap), timeout)
    broker.topic(topic)  # refuse a typo rather than let the broker auto-create it
    encode: Encode = _text
    if schema is not None or subject is not None:
        from orderflow.access import registry_access
        from orderflow.tools.avro import Registry  # the registry client loads for Avro only

        registry = Registry(registry_access(settings), timeout)
        encode = _avro_encoder(registry, topic, schema, subject or "")
    sent = _send(broker, topic, keyed_lines(value or sys.stdin, key, key_separator), encode)
    typer.echo(f"produced {sent} message{'' if sent == 1 else 's'} to {topic}", err=True)


def _send(broker: Broker, topic: str, lines: Iterator[KeyedLine], encode: Encode) -> int:
    failures: list[KafkaError] = []

    def report(error: KafkaError | None, _message: Message) -> None:
        if error is not None:
            failures.append(error)

    timeout_ms = int(broker.timeout_s * 1000)
    producer = Producer({**client_config(broker.kafka), "message.timeout.ms": timeout_ms})
    sent = 0
    try:
        for line in lines:
            payload = encode(line)
            while True:
                try:
                    producer.produce(topic, value=payload, key=line.key, on_delivery=report)
                    break
                except BufferError:
                    # The local queue is full: let deliveries drain it, then retry.
                    producer.poll(0.5)
            producer.poll(0)
            sent += 1
    finally:
        # Delivery is asynchronous: only flush tells us that the broker has them
        # all; also when a bad line stops us, what came before it is sent.
        undelivered = producer.flush(broker.timeout_s + 1)
    if undelivered or failures:
        reason = failures[0].str() if failures else "no answer from the broker"
        lost = undelivered + len(failures)
        raise ToolError(f"{lost} of {sent} messages were not delivered to {topic}: {reason}")
    return sent
