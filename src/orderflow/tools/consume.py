"""`orderflow consume`: print a topic's messages as safe lines of text or JSON, Avro decoded."""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from confluent_kafka import (
    TIMESTAMP_CREATE_TIME,
    TIMESTAMP_LOG_APPEND_TIME,
    Consumer,
    KafkaError,
    KafkaException,
    Message,
    TopicPartition,
)

from orderflow.events.wire import read_header
from orderflow.tools.broker import Broker, client_config
from orderflow.tools.errors import ToolError
from orderflow.tools.options import Bootstrap, ConnectTimeout, bootstrap_of
from orderflow.tools.record_view import Decode, Record, json_line, text_line, where, wire_hint
from orderflow.tools.start_offset import (
    BEGINNING,
    END,
    Kind,
    StartOffset,
    parse_start_offset,
    resolve,
)

if TYPE_CHECKING:
    from orderflow.settings import Settings
    from orderflow.tools.avro import Registry

Render = Callable[[Record], str]
# How long one poll may block: short, so that --timeout and Ctrl-C act promptly.
POLL_S = 0.2
_TIMESTAMP_TYPES = {TIMESTAMP_CREATE_TIME: "CreateTime", TIMESTAMP_LOG_APPEND_TIME: "LogAppendTime"}


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def record_of(message: Message) -> Record:
    timestamp_type, timestamp_ms = message.timestamp()
    known = _TIMESTAMP_TYPES.get(timestamp_type)
    return Record(
        topic=str(message.topic()),
        partition=int(message.partition() or 0),
        offset=int(message.offset() or 0),
        key=message.key(),
        value=message.value(),
        headers=_headers(message),
        timestamp_ms=timestamp_ms if known else None,
        timestamp_type=known,
    )


def _headers(message: Message) -> tuple[tuple[str, bytes | None], ...]:
    found = message.headers() or ()
    pairs = found.items() if isinstance(found, dict) else found
    # A consumed header's value is bytes; the client's types also allow what a producer gives.
    return tuple((name, v.encode() if isinstance(v, str) else v) for name, v in pairs)


class Undecodable(ToolError):
    """One message ``--avro`` cannot decode: it is skipped with a line saying why, as a
    service dead-letters a poison record and goes on, rather than ending the run."""


def _avro_decoder(registry: Registry, topic: str, reader_schema: str | None) -> Decode:
    from orderflow.tools.avro import UnknownSchema  # the registry client loads for --avro only

    deserialize = registry.deserializer(topic, reader_schema)

    def decode(record: Record) -> object:
        payload = record.value
        if payload is None or read_header(payload) is None:
            start = payload[:8].hex(" ") if payload else "nothing"
            raise Undecodable(
                f"the message at {where(record)} is not Avro in the Confluent wire format "
                f"(magic byte 0, schema id); its first bytes are {start}"
            )
        try:
            return deserialize(payload)
        except UnknownSchema as error:
            raise Undecodable(f"the message at {where(record)}: {error}") from None

    return decode


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


def start_of(
    ctx: typer.Context,
    from_beginning: bool | None,
    offset: StartOffset | None,
    partition: int | None,
    group: str | None,
) -> StartOffset:
    """Where to start, from the options that say it; a usage error if they disagree."""
    if group is not None and (offset is not None or partition is not None):
        ctx.fail("--group resumes at the group's committed offsets; drop --offset and --partition")
    if offset is not None and from_beginning is not None:
        ctx.fail("give --offset or --from-beginning/--from-end, not both")
    if offset is not None and offset.kind is Kind.AT and partition is None:
        ctx.fail(f"--offset {offset.number} is a place in one partition; give --partition too")
    if offset is not None:
        return offset
    return END if from_beginning is False else BEGINNING


def _consumer(
    broker: Broker,
    topic: str,
    partitions: list[int],
    group: str | None,
    start: StartOffset,
    reading: Reading,
) -> Consumer:
    consumer = Consumer(
        {
            **client_config(broker.kafka),
            # Without --group we assign partitions and never commit, so this
            # throwaway id never shows up as a group on the broker.
            "group.id": group or f"orderflow-consume-{uuid.uuid4()}",
            "auto.offset.reset": "latest" if start == END else "earliest",
            # With a group, an offset is stored once its message is printed and
            # committed in the background (and on close): what was shown is done.
            "enable.auto.commit": group is not None,
            "enable.auto.offset.store": False,
        }
    )
    try:
        if group is not None:
            # A group resumes at its committed offsets; --from-* applies only to a new group.
            consumer.subscribe([topic], on_assign=reading.assigned)
        else:
            starts = [_start_in(consumer, broker, topic, p, start) for p in partitions]
            consumer.assign(starts)
            reading.assigned(consumer, starts)
    except BaseException:
        consumer.close()
        raise
    return consumer


def _start_in(
    consumer: Consumer, broker: Broker, topic: str, partition: int, start: StartOffset
) -> TopicPartition:
    tp = TopicPartition(topic, partition)
    try:
        low, high = consumer.get_watermark_offsets(tp, timeout=broker.timeout_s)
    except KafkaException as error:
        raise ToolError(
            f"cannot read the offsets of {topic} partition {partition}: {error.args[0].str()}"
        ) from None
    return TopicPartition(
        topic, partition, resolve(start, low, high, f"{topic} partition {partition}")
    )


def _partitions(broker: Broker, topic: str, partition: int | None) -> list[int]:
    found = sorted(broker.topic(topic).partitions)
    if partition is None:
        return found
    if partition not in found:
        raise ToolError(f"topic {topic!r} has partitions 0..{max(found)}, no partition {partition}")
    return [partition]


def consume(
    ctx: typer.Context,
    topic: Annotated[str, typer.Argument(help="The topic to read; it must exist.")],
    from_beginning: Annotated[
        bool | None,
        typer.Option(
            "--from-beginning/--from-end",
            help="Where a reader without offsets starts; default: the beginning.",
        ),
    ] = None,
    partition: Annotated[
        int | None, typer.Option("--partition", "-p", min=0, help="Read this partition only.")
    ] = None,
    offset: Annotated[
        StartOffset | None,
        typer.Option(
            "--offset",
            "-o",
            parser=parse_start_offset,
            metavar="OFFSET",
            help="Start at beginning, end, N (with --partition) or -N (each partition's last N).",
        ),
    ] = None,
    group: Annotated[
        str | None, typer.Option(help="Consume as this group and commit; default: no group.")
    ] = None,
    avro: Annotated[
        bool, typer.Option(help="Decode Avro values (Confluent wire format) to JSON.")
    ] = False,
    reader_schema: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            metavar="FILE.avsc",
            help="Decode as a consumer built on this schema would (implies --avro): "
            "the writer's schema resolved to it.",
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format", help="text: the value a line; json: a JSON object a record, as kcat -J."
        ),
    ] = OutputFormat.TEXT,
    print_key: Annotated[bool, typer.Option(help="Text: print the key, a tab, the value.")] = False,
    print_headers: Annotated[
        bool, typer.Option(help="Text: print the headers (name:value,...) and a tab first.")
    ] = False,
    max_messages: Annotated[
        int | None, typer.Option("--max", min=1, help="Stop after this many messages.")
    ] = None,
    timeout: Annotated[
        float | None, typer.Option(min=0.1, help="Stop once no message came for this many seconds.")
    ] = None,
    bootstrap: Bootstrap = None,
    connect_timeout: ConnectTimeout = 10.0,
) -> None:
    """Print a topic's messages, one a line, until --max, --timeout or Ctrl-C."""
    settings: Settings = ctx.obj
    start = start_of(ctx, from_beginning, offset, partition, group)
    decode: Decode | None = None
    avro = avro or reader_schema is not None
    if avro:
        from orderflow.access import registry_access
        from orderflow.tools.avro import Registry  # the registry client loads for --avro only

        reader = reader_schema.read_text() if reader_schema is not None else None
        registry = Registry(registry_access(settings), connect_timeout)
        try:
            decode = _avro_decoder(registry, topic, reader)
        except Exception as error:  # json's, fastavro's and the client's: no common type
            raise ToolError(f"{reader_schema} is not an Avro schema: {error}") from None
    # After the decoder: a reader schema that does not parse fails before anything connects.
    broker = Broker(bootstrap_of(settings, bootstrap), connect_timeout)
    partitions = _partitions(broker, topic, partition)
    render: Render = (
        functools.partial(json_line, decode=decode)
        if output_format is OutputFormat.JSON
        else functools.partial(
            text_line, decode=decode, print_key=print_key, print_headers=print_headers
        )
    )
    reading = Reading(topic, connect_timeout)
    consumer = _consumer(broker, topic, partitions, group, start, reading)
    try:
        _print_messages(consumer, reading, render, max_messages, timeout, hinted=avro)
    except KeyboardInterrupt:
        pass  # Ctrl-C is how one stops a consumer; close below commits what was printed.
    finally:
        consumer.close()
    typer.echo(f"consumed {reading.count} message{'' if reading.count == 1 else 's'}", err=True)


def _print_messages(
    consumer: Consumer,
    reading: Reading,
    render: Render,
    max_messages: int | None,
    idle_s: float | None,
    *,
    hinted: bool,
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
        record = record_of(message)
        if not hinted:
            hint = wire_hint(record.value)
            if hint is not None:
                typer.echo(hint, err=True)  # once a run: it is about the topic, not a message
                hinted = True
        try:
            shown = render(record)
        except Undecodable as error:
            typer.echo(f"skipped: {error}", err=True)
            consumer.store_offsets(message)
            continue
        typer.echo(shown)
        consumer.store_offsets(message)
        reading.printed()
