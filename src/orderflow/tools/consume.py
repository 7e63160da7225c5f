"""`orderflow consume`: print a topic's messages, Avro decoded to JSON or raw bytes shown safely."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer
from confluent_kafka import (
    OFFSET_BEGINNING,
    OFFSET_END,
    Consumer,
    KafkaError,
    Message,
    TopicPartition,
)

from orderflow.events.wire import read_header
from orderflow.tools.broker import Broker, client_config
from orderflow.tools.errors import ToolError
from orderflow.tools.options import ConnectTimeout
from orderflow.tools.rendering import render_bytes, to_json

if TYPE_CHECKING:
    from orderflow.settings import Settings
    from orderflow.tools.avro import Registry

Render = Callable[[Message], str]
# How long one poll may block: short, so that --timeout and Ctrl-C act promptly.
POLL_S = 0.2


def where(message: Message) -> str:
    return f"{message.topic()} partition {message.partition()} offset {message.offset()}"


def _raw(message: Message) -> str:
    return render_bytes(message.value())


def _avro_renderer(registry: Registry, topic: str) -> Render:
    deserialize = registry.deserializer(topic)

    def render(message: Message) -> str:
        payload = message.value()
        if payload is None or read_header(payload) is None:
            start = payload[:8].hex(" ") if payload else "nothing"
            raise ToolError(
                f"the message at {where(message)} is not Avro in the Confluent wire format "
                f"(magic byte 0, schema id); its first bytes are {start}"
            )
        return to_json(deserialize(payload))

    return render


class Reading:
    """How many messages a consumer has printed, and for how long it has waited idle.

    Idle time counts from the assignment of partitions on, not from the start:
    joining a group takes a moment, longer on a busy machine.
    """

    def __init__(self, topic: str, assign_timeout_s: float) -> None:
        self.topic = topic
        self.assign_timeout_s = assign_timeout_s
        self.count = 0
        self._started = time.monotonic()
        self._assigned_at: float | None = None
        self._last_seen = 0.0

    def assigned(self, _consumer: Consumer, _partitions: list[TopicPartition]) -> None:
        if self._assigned_at is None:
            self._assigned_at = time.monotonic()

    def printed(self) -> None:
        self.count += 1
        self._last_seen = time.monotonic()

    def idle_s(self) -> float:
        now = time.monotonic()
        if self._assigned_at is None:
            if now - self._started > self.assign_timeout_s:
                raise ToolError(
                    f"the group got no partitions of {self.topic} "
                    f"within {self.assign_timeout_s:g} s"
                )
            return 0.0
        return now - max(self._assigned_at, self._last_seen)


def _consumer(
    broker: Broker, topic: str, group: str | None, from_beginning: bool, reading: Reading
) -> Consumer:
    consumer = Consumer(
        {
            **client_config(broker.bootstrap),
            # Without --group we assign partitions and never commit, so this
            # throwaway id never shows up as a group on the broker.
            "group.id": group or f"orderflow-consume-{uuid.uuid4()}",
            "auto.offset.reset": "earliest" if from_beginning else "latest",
            # With a group, an offset is stored once its message is printed and
            # committed in the background (and on close): what was shown is done.
            "enable.auto.commit": group is not None,
            "enable.auto.offset.store": False,
        }
    )
    if group is not None:
        # A group resumes at its committed offsets; --from-* applies only to a new group.
        consumer.subscribe([topic], on_assign=reading.assigned)
    else:
        start = OFFSET_BEGINNING if from_beginning else OFFSET_END
        partitions = broker.topic(topic).partitions
        consumer.assign([TopicPartition(topic, p, start) for p in partitions])
        reading.assigned(consumer, [])
    return consumer


def consume(
    ctx: typer.Context,
    topic: Annotated[str, typer.Argument(help="The topic to read; it must exist.")],
    from_beginning: Annotated[
        bool,
        typer.Option("--from-beginning/--from-end", help="Where a reader without offsets starts."),
    ] = True,
    group: Annotated[
        str | None, typer.Option(help="Consume as this group and commit; default: no group.")
    ] = None,
    avro: Annotated[
        bool, typer.Option(help="Decode Avro values (Confluent wire format) to JSON.")
    ] = False,
    print_key: Annotated[bool, typer.Option(help="Print the key, a tab, then the value.")] = False,
    max_messages: Annotated[
        int | None, typer.Option("--max", min=1, help="Stop after this many messages.")
    ] = None,
    timeout: Annotated[
        float | None, typer.Option(min=0.1, help="Stop once no message came for this many seconds.")
    ] = None,
    connect_timeout: ConnectTimeout = 10.0,
) -> None:
    """Print a topic's messages, one a line, until --max, --timeout or Ctrl-C."""
    settings: Settings = ctx.obj
    broker = Broker(settings.kafka_bootstrap, connect_timeout)
    broker.topic(topic)
    render: Render = _raw
    if avro:
        from orderflow.tools.avro import Registry  # the registry client loads for --avro only

        render = _avro_renderer(Registry(settings.registry_url, connect_timeout), topic)
    reading = Reading(topic, connect_timeout)
    consumer = _consumer(broker, topic, group, from_beginning, reading)
    try:
        _print_messages(consumer, reading, render, print_key, max_messages, timeout)
    except KeyboardInterrupt:
        pass  # Ctrl-C is how one stops a consumer; close below commits what was printed.
    finally:
        consumer.close()
    typer.echo(f"consumed {reading.count} message{'' if reading.count == 1 else 's'}", err=True)


def _print_messages(
    consumer: Consumer,
    reading: Reading,
    render: Render,
    print_key: bool,
    max_messages: int | None,
    idle_s: float | None,
) -> None:
    while max_messages is None or reading.count < max_messages:
        message = consumer.poll(POLL_S)
        if message is None:
            if idle_s is not None and reading.idle_s() >= idle_s:
                break
            continue
        error = message.error()
        if error is not None:
            if error.fatal() or error.code() == KafkaError.UNKNOWN_TOPIC_OR_PART:
                raise ToolError(f"consuming {message.topic()}: {error.str()}")
            continue  # transient (a rebalance, a broker reconnecting): librdkafka retries
        line = render(message)
        if print_key:
            line = f"{render_bytes(message.key())}\t{line}"
        typer.echo(line)
        consumer.store_offsets(message)
        reading.printed()
