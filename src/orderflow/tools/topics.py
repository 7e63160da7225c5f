"""`orderflow topics create|list|describe|delete`: Kafka's kafka-topics, in Python."""

from __future__ import annotations

import concurrent.futures
import sys
import uuid
from typing import TYPE_CHECKING, Annotated

import typer
from confluent_kafka import Consumer, KafkaException, TopicPartition

# Public names, but confluent_kafka.admin has no __all__ for strict mypy to see them in.
from confluent_kafka.admin import (  # type: ignore[attr-defined]
    ConfigResource,
    NewTopic,
    ResourceType,
)

from orderflow.stack.waiting import wait_until
from orderflow.tools.broker import Broker, client_config
from orderflow.tools.errors import ToolError
from orderflow.tools.options import Bootstrap, bootstrap_of
from orderflow.tools.topic_config import parse_configs
from orderflow.tools.topic_view import PartitionView, describe_lines

if TYPE_CHECKING:
    from orderflow.settings import Settings

topics_app = typer.Typer(
    help="Create, list, describe and delete Kafka topics.", no_args_is_help=True
)

Name = Annotated[str, typer.Argument(help="The topic's name.")]
Timeout = Annotated[
    float, typer.Option("--timeout", min=0.1, help="Seconds to wait for the broker.")
]


def _broker(ctx: typer.Context, bootstrap: str | None, timeout_s: float) -> Broker:
    settings: Settings = ctx.obj
    return Broker(bootstrap_of(settings, bootstrap), timeout_s)


def _result(future: concurrent.futures.Future[None], broker: Broker, doing: str) -> None:
    try:
        future.result(timeout=broker.timeout_s)
    except concurrent.futures.TimeoutError:
        raise ToolError(f"{doing}: the broker at {broker.bootstrap} did not answer") from None
    except KafkaException as error:
        raise ToolError(f"{doing}: {error.args[0].str()}") from None


def _wait(condition_holds: bool, broker: Broker, doing: str) -> None:
    if not condition_holds:
        raise ToolError(f"{doing}: not done within {broker.timeout_s:g} s")


@topics_app.command()
def create(
    ctx: typer.Context,
    name: Name,
    partitions: Annotated[int, typer.Option(min=1, help="Number of partitions.")] = 1,
    replication_factor: Annotated[int, typer.Option(min=1, help="Copies of each partition.")] = 1,
    config: Annotated[
        list[str] | None, typer.Option(help="A topic config as key=value; repeatable.")
    ] = None,
    if_not_exists: Annotated[bool, typer.Option(help="Succeed if it exists already.")] = False,
    bootstrap: Bootstrap = None,
    timeout: Timeout = 10.0,
) -> None:
    """Create a topic."""
    broker = _broker(ctx, bootstrap, timeout)
    if name in broker.topic_names():
        if if_not_exists:
            return
        raise ToolError(f"topic {name!r} already exists")
    new_topic = NewTopic(name, partitions, replication_factor, config=parse_configs(config or []))
    futures = broker.admin.create_topics([new_topic], request_timeout=timeout)
    _result(futures[name], broker, f"cannot create topic {name!r}")

    # The controller has it; wait until every partition has a leader, so that
    # a producer started right after this command finds the topic ready.
    def ready() -> bool:
        found = broker.metadata().topics.get(name)
        return found is not None and all(p.leader >= 0 for p in found.partitions.values())

    _wait(wait_until(ready, timeout), broker, f"creating topic {name!r}")
    typer.echo(f"Created topic {name}.")


@topics_app.command("list")
def list_topics(ctx: typer.Context, bootstrap: Bootstrap = None, timeout: Timeout = 10.0) -> None:
    """List the topics, one name a line."""
    for name in sorted(_broker(ctx, bootstrap, timeout).topic_names()):
        typer.echo(name)


@topics_app.command()
def describe(
    ctx: typer.Context, name: Name, bootstrap: Bootstrap = None, timeout: Timeout = 10.0
) -> None:
    """Show a topic's partitions, leaders, replicas, offsets and non-default configs."""
    broker = _broker(ctx, bootstrap, timeout)
    metadata = broker.topic(name)
    # A consumer only to read the offsets; it joins no group and commits nothing.
    reader = Consumer({**client_config(broker.kafka), "group.id": f"describe-{uuid.uuid4()}"})
    try:
        views = []
        for partition in metadata.partitions.values():
            tp = TopicPartition(name, partition.id)
            try:
                low, high = reader.get_watermark_offsets(tp, timeout=timeout)
            except KafkaException as error:
                raise ToolError(
                    f"cannot read the offsets of {name!r}: {error.args[0].str()}"
                ) from None
            views.append(
                PartitionView(
                    partition.id, partition.leader, partition.replicas, partition.isrs, low, high
                )
            )
    finally:
        reader.close()
    resource = ConfigResource(ResourceType.TOPIC, name)
    configs_future = broker.admin.describe_configs([resource], request_timeout=timeout)[resource]
    try:
        entries = configs_future.result(timeout=timeout)
    except (KafkaException, concurrent.futures.TimeoutError):
        raise ToolError(f"cannot read the configs of {name!r}") from None
    configs = {key: entry.value for key, entry in entries.items() if not entry.is_default}
    for line in describe_lines(name, views, configs):
        typer.echo(line)


@topics_app.command()
def delete(
    ctx: typer.Context,
    name: Name,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,
    bootstrap: Bootstrap = None,
    timeout: Timeout = 10.0,
) -> None:
    """Delete a topic and every message in it; asks first, unless --yes."""
    if not yes and not sys.stdin.isatty():
        # Nobody can answer; a script must say what it means.
        ctx.fail(f"deleting topic {name!r} needs a yes, and stdin is no terminal: add --yes")
    broker = _broker(ctx, bootstrap, timeout)
    partitions = len(broker.topic(name).partitions)
    if not yes:
        typer.confirm(
            f"Delete topic {name} ({partitions} partition{'' if partitions == 1 else 's'}) "
            "and every message in it?",
            abort=True,
        )
    futures = broker.admin.delete_topics([name], request_timeout=timeout)
    _result(futures[name], broker, f"cannot delete topic {name!r}")
    # Deletion is asynchronous in Kafka; wait until the broker no longer lists it.
    gone = wait_until(lambda: name not in broker.topic_names(), timeout)
    _wait(gone, broker, f"deleting topic {name!r}")
    typer.echo(f"Deleted topic {name}.")
