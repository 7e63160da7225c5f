"""`orderflow lag`: each consumer group's committed offsets, log ends, lag and owners,
as `kafka-consumer-groups --describe` shows them, and ``group_lag`` for code that
wants the numbers.

The committed offsets are read by a consumer carrying the group's id that never
subscribes: it asks the group coordinator for offsets (OffsetFetch) without
joining, so reading them moves no partition away from a running service.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer
from confluent_kafka import Consumer, KafkaException, TopicPartition
from rich.console import Console
from rich.table import Table

from orderflow.services import SERVICES
from orderflow.tools.broker import Broker, client_config, unreachable
from orderflow.tools.errors import ToolError
from orderflow.tools.lag_view import (
    COLUMNS,
    PartitionLag,
    committed_offset,
    lag_document,
    table_cells,
    total_lag,
)

if TYPE_CHECKING:
    # Public names, but confluent_kafka.admin has no __all__ for strict mypy to see them in.
    from confluent_kafka.admin import ClusterMetadata  # type: ignore[attr-defined]

    from orderflow.settings import Settings
    from orderflow.stack.groups import GroupState

# Kafka's own bookkeeping (__consumer_offsets, __transaction_state): no group consumes it.
INTERNAL_PREFIX = "__"


def declared_groups() -> dict[str, tuple[str, ...]]:
    """Each declared service's consumer group and the topics it consumes, in chain order."""
    return {service.group: service.topics for service in SERVICES}


def group_lag(
    settings: Settings, groups: Sequence[str], timeout_s: float = 10.0
) -> list[PartitionLag]:
    """Every partition of each group's topics: committed offset, log ends and owner.

    A declared service's group shows every partition of the topics it consumes,
    committed or not; any other group shows the partitions it has committed on
    or holds. Rows come in the order of ``groups``, then by topic and partition.
    Raises ToolError, saying which, when Kafka does not answer within ``timeout_s``.
    """
    # The child-process describe loads the Settings' module; the CLI builds without it.
    from orderflow.stack.groups import group_states

    asked = list(dict.fromkeys(groups))
    metadata = Broker(settings.kafka_bootstrap, timeout_s).metadata()
    states = group_states(settings, asked, timeout_s)
    if states is None:
        raise ToolError(
            f"Kafka at {settings.kafka_bootstrap} did not describe the consumer groups "
            f"within {timeout_s:g} s; is the stack up? (orderflow stack up)"
        )
    declared = declared_groups()
    # Two groups reading one topic ask its log ends once.
    ends: dict[tuple[str, int], tuple[int, int]] = {}
    rows: list[PartitionLag] = []
    for state in states:
        topics = _topics_of(state, declared.get(state.group), metadata)
        partitions = [
            TopicPartition(topic, p)
            for topic in topics
            for p in sorted(metadata.topics[topic].partitions)
        ]
        reader = _reader(settings.kafka_bootstrap, state.group)
        try:
            committed = _committed(reader, state.group, partitions, settings, timeout_s)
            for tp in partitions:
                key = (tp.topic, tp.partition)
                if key not in ends:
                    ends[key] = _watermarks(reader, tp, timeout_s)
                low, high = ends[key]
                owner = state.owner(tp.topic, tp.partition)
                row = PartitionLag(
                    state.group, tp.topic, tp.partition, committed[key], low, high, owner
                )
                if state.group in declared or row.committed is not None or row.owner:
                    rows.append(row)
        finally:
            reader.close()
    return rows


def _topics_of(
    state: GroupState, declared: tuple[str, ...] | None, metadata: ClusterMetadata
) -> list[str]:
    """The topics to look at for a group, those that exist, sorted."""
    if declared is None:
        # The broker cannot list the topics a group has committed on without a
        # second API; asking for every partition's commit costs one request.
        names = {t for t in metadata.topics if not t.startswith(INTERNAL_PREFIX)}
    else:
        names = set(declared)
    names |= {topic for topic, _, _ in state.owners}
    return sorted(name for name in names if name in metadata.topics)


def _reader(bootstrap: str, group: str) -> Consumer:
    # Never subscribed, so it never joins; with auto commit off, closing it
    # commits nothing either: the group's offsets stay the group's own.
    return Consumer({**client_config(bootstrap), "group.id": group, "enable.auto.commit": False})


def _committed(
    reader: Consumer,
    group: str,
    partitions: list[TopicPartition],
    settings: Settings,
    timeout_s: float,
) -> dict[tuple[str, int], int | None]:
    if not partitions:
        return {}
    try:
        found = reader.committed(partitions, timeout=timeout_s)
    except KafkaException:
        raise unreachable(settings.kafka_bootstrap, timeout_s) from None
    committed: dict[tuple[str, int], int | None] = {}
    for tp in found:
        if tp.error is not None:
            raise ToolError(
                f"cannot read group {group}'s offset of {tp.topic} partition {tp.partition}: "
                f"{tp.error.str()}"
            )
        committed[(tp.topic, tp.partition)] = committed_offset(tp.offset)
    return committed


def _watermarks(reader: Consumer, tp: TopicPartition, timeout_s: float) -> tuple[int, int]:
    try:
        low, high = reader.get_watermark_offsets(tp, timeout=timeout_s)
    except KafkaException as error:
        raise ToolError(
            f"cannot read the offsets of {tp.topic} partition {tp.partition}: {error.args[0].str()}"
        ) from None
    return low, high


def lag(
    ctx: typer.Context,
    group: Annotated[
        list[str] | None,
        typer.Option("--group", help="A consumer group; repeatable. Default: every service's."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON document instead of the table.")
    ] = False,
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds to wait for Kafka.")] = 10.0,
) -> None:
    """Show each consumer group's committed offset, log end, lag and owner per partition."""
    settings: Settings = ctx.obj
    groups = list(dict.fromkeys(group or declared_groups()))
    rows = group_lag(settings, groups, timeout)
    if as_json:
        typer.echo(json.dumps(lag_document(groups, rows), indent=2))
        return
    table = Table(
        title=f"consumer group lag ({settings.kafka_bootstrap})",
        caption="total lag: " + "; ".join(f"{g} {total_lag(rows, g)}" for g in groups),
    )
    for column in COLUMNS:
        numeric = column in ("partition", "committed", "log end", "lag")
        table.add_column(column, justify="right" if numeric else "left")
    for row in rows:
        table.add_row(*table_cells(row))
    Console().print(table)
