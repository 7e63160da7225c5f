"""`orderflow lag`: each consumer group's committed offsets, log ends, lag and owners,
as `kafka-consumer-groups --describe` shows them, and ``group_lag`` for code that
wants the numbers.

Three sources, each read so that a failure of one costs only what it tells:
the offsets (``orderflow.tools.group_offsets``, in this process), the owners
(the groups' description, in a child process: ``orderflow.stack.groups``) and,
for a group no service declares, the topics it has committed on (the same child).
A description that fails leaves the owners unknown, shown as ``-``; the lag
does not depend on it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from orderflow.services import CONSUMERS
from orderflow.tools.errors import ToolError
from orderflow.tools.lag_view import (
    COLUMNS,
    PartitionLag,
    lag_document,
    table_cells,
    total_lag,
)
from orderflow.tools.options import Bootstrap, pointed_at

if TYPE_CHECKING:
    from orderflow.settings import Settings
    from orderflow.stack.groups import GroupState
    from orderflow.tools.group_offsets import Partition


def declared_groups() -> dict[str, tuple[str, ...]]:
    """Each declared service's consumer group and the topics it consumes, in chain order."""
    return {service.group: service.topics for service in CONSUMERS}


@dataclass(frozen=True)
class LagReport:
    rows: list[PartitionLag]
    owners_known: bool
    """Kafka described the groups; if not, every owner reads as None."""


def group_lag(
    settings: Settings, groups: Sequence[str], timeout_s: float = 10.0
) -> list[PartitionLag]:
    """Every partition of each group's topics: committed offset, log ends and owner.

    A declared service's group shows every partition of the topics it consumes,
    committed or not; any other group shows the partitions it has committed on
    or holds. Rows come in the order of ``groups``, then by topic and partition.
    Raises ToolError, saying which, when Kafka does not answer within ``timeout_s``.
    """
    return read_lag(settings, groups, timeout_s).rows


def read_lag(settings: Settings, groups: Sequence[str], timeout_s: float) -> LagReport:
    """``group_lag``'s rows, and whether their owners are known."""
    from orderflow.access import kafka_access
    from orderflow.stack.groups import committed_topics, group_states
    from orderflow.tools.group_offsets import partitions_of

    asked = list(dict.fromkeys(groups))
    # The metadata first: a broker that does not answer is one line, and no child is started.
    partitions = partitions_of(kafka_access(settings), timeout_s)
    declared = declared_groups()
    others = [group for group in asked if group not in declared]
    listed = committed_topics(settings, others, timeout_s) if others else {}
    if listed is None:
        raise ToolError(
            f"Kafka at {settings.kafka_bootstrap} did not list the offsets committed by "
            f"{', '.join(others)} within {timeout_s:g} s; is the stack up? (orderflow stack up)"
        )
    states = group_states(settings, asked, timeout_s)
    described = {state.group: state for state in states or []}
    ends: dict[Partition, tuple[int, int]] = {}
    rows: list[PartitionLag] = []
    for group in asked:
        topics = declared[group] if group in declared else listed[group]
        state = described.get(group)
        wanted = _partitions(topics, state, partitions)
        rows += _rows(settings, group, wanted, state, ends, timeout_s, every=group in declared)
    return LagReport(rows, owners_known=states is not None)


def _partitions(
    topics: Sequence[str], state: GroupState | None, partitions: dict[str, list[int]]
) -> list[Partition]:
    """The partitions to show for a group: its topics' and those it holds, of topics
    that exist, sorted."""
    held = state.owners if state else ()
    names = set(topics) | {topic for topic, _, _ in held}
    return [(topic, p) for topic in sorted(names & partitions.keys()) for p in partitions[topic]]


def _rows(
    settings: Settings,
    group: str,
    wanted: list[Partition],
    state: GroupState | None,
    ends: dict[Partition, tuple[int, int]],
    timeout_s: float,
    *,
    every: bool,
) -> list[PartitionLag]:
    """One group's rows; ``every`` partition of ``wanted``, or those committed or held.

    ``ends`` keeps the log ends already read, so that two groups reading one
    topic ask for them once.
    """
    from orderflow.access import kafka_access
    from orderflow.tools.group_offsets import GroupOffsets

    rows: list[PartitionLag] = []
    with closing(GroupOffsets(kafka_access(settings), group, timeout_s)) as reader:
        committed = reader.committed(wanted)
        for partition in wanted:
            owner = state.owner(*partition) if state else None
            if not (every or committed[partition] is not None or owner):
                continue
            if partition not in ends:
                ends[partition] = reader.log_span(partition)
            rows.append(
                PartitionLag(group, *partition, committed[partition], *ends[partition], owner)
            )
    return rows


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
    bootstrap: Bootstrap = None,
) -> None:
    """Show each consumer group's committed offset, log end, lag and owner per partition."""
    settings: Settings = pointed_at(ctx.obj, bootstrap)
    groups = list(dict.fromkeys(group or declared_groups()))
    report = read_lag(settings, groups, timeout)
    if as_json:
        document = lag_document(groups, report.rows, owners_known=report.owners_known)
        typer.echo(json.dumps(document, indent=2))
        return
    caption = "total lag: " + "; ".join(f"{g} {total_lag(report.rows, g)}" for g in groups)
    if not report.owners_known:
        caption += "\nowners unknown: Kafka did not describe the groups"
    table = Table(title=f"consumer group lag ({settings.kafka_bootstrap})", caption=caption)
    for column in COLUMNS:
        numeric = column in ("partition", "committed", "log end", "lag")
        table.add_column(column, justify="right" if numeric else "left")
    for row in report.rows:
        table.add_row(*table_cells(row))
    Console().print(table)
