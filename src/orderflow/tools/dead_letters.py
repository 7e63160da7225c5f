"""`orderflow dead-letters list|replay`: what the consumers gave up on, and sending it back.

A consumer dead-letters a record it cannot decode or whose handler fails
(``messaging.consumer``); ``list`` shows each with why, from where and by which
group; ``replay`` sends chosen ones back to where they came from once their
cause is fixed. A replay that fails again is dead-lettered again by the
consumer, as any record is: a new dead letter, whose ``dlq.replayed.from``
names the one it was replayed from.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from orderflow.messaging.deadletters import DEAD_LETTER_TOPIC
from orderflow.tools.broker import Broker
from orderflow.tools.dead_letters_replay import (
    check_origins,
    choose,
    parse_ref,
    question,
    replays,
    sent_line,
    would_send_line,
)
from orderflow.tools.dead_letters_topic import KafkaLetters
from orderflow.tools.dead_letters_view import (
    COLUMNS,
    DeadLetter,
    chronological,
    dead_letter_of,
    letter_document,
    summary,
    table_cells,
)
from orderflow.tools.errors import ToolError
from orderflow.tools.options import Bootstrap, bootstrap_of
from orderflow.tools.rendering import to_json

if TYPE_CHECKING:
    from orderflow.settings import Settings

dead_letters_app = typer.Typer(
    help="List the records the consumers dead-lettered, and replay them once fixed.",
    no_args_is_help=True,
)

Topic = Annotated[str, typer.Option("--topic", help="The dead-letter topic.")]
Timeout = Annotated[
    float, typer.Option("--timeout", min=0.1, help="Seconds to wait for the broker.")
]


def _letters(
    ctx: typer.Context, bootstrap: str | None, topic: str, timeout_s: float
) -> KafkaLetters:
    settings: Settings = ctx.obj
    return KafkaLetters(Broker(bootstrap_of(settings, bootstrap), timeout_s), topic)


def _read(letters: KafkaLetters) -> list[DeadLetter]:
    return chronological(dead_letter_of(record) for record in letters.read())


@dead_letters_app.command("list")
def list_letters(
    ctx: typer.Context,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object a dead letter instead of the table.")
    ] = False,
    topic: Topic = DEAD_LETTER_TOPIC,
    bootstrap: Bootstrap = None,
    timeout: Timeout = 10.0,
) -> None:
    """Show every dead letter: id, time, origin, group, reason.

    Oldest first; reads the topic to its end as it was when it began, then stops.
    """
    letters = _read(_letters(ctx, bootstrap, topic, timeout))
    if as_json:
        for letter in letters:
            typer.echo(to_json(letter_document(letter, topic)))
        return
    if not letters:
        typer.echo(f"no dead letters on {topic}")
        return
    table = Table(
        title=summary(letters, topic),
        caption="replay one with: orderflow dead-letters replay ID",
        show_lines=True,  # a row is two lines
    )
    table.add_column(COLUMNS[0], no_wrap=True)
    table.add_column(COLUMNS[1], overflow="fold")
    table.add_column(COLUMNS[2], overflow="fold", ratio=1)
    for letter in letters:
        # Text, not markup: a reason or key may hold brackets that rich would act on.
        table.add_row(*(Text(cell) for cell in table_cells(letter)))
    Console().print(table)


@dead_letters_app.command()
def replay(
    ctx: typer.Context,
    ids: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="ID",
            help="Dead letters by id, PARTITION:OFFSET as list shows it (an offset alone if "
            "only one partition has it).",
        ),
    ] = None,
    every: Annotated[
        bool, typer.Option("--all", help="Every dead letter (of --origin-topic, --group).")
    ] = False,
    origin_topic: Annotated[
        str | None, typer.Option("--origin-topic", help="Only those that came from this topic.")
    ] = None,
    group: Annotated[
        str | None, typer.Option("--group", help="Only those this consumer group gave up on.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be sent; send nothing.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Send without asking.")] = False,
    topic: Topic = DEAD_LETTER_TOPIC,
    bootstrap: Bootstrap = None,
    timeout: Timeout = 10.0,
) -> None:
    """Send dead letters back where they came from.

    Each goes to its topic and partition as it was (key, value, headers), with a
    dlq.replayed.from header; asks first, unless --yes. Every group reading that
    topic gets it again: an inbox that handled its event already drops it. One
    that fails again is dead-lettered again.
    """
    if not ids and not every:
        ctx.fail("give the ids of the dead letters to replay, or --all")
    if ids and every:
        ctx.fail("give ids or --all, not both")
    refs = [parse_ref(text) for text in ids or []]
    if not dry_run and not yes and not sys.stdin.isatty():
        # Nobody can answer; a script must say what it means.
        ctx.fail("replaying needs a yes, and stdin is no terminal: add --yes (or --dry-run)")
    letters = _letters(ctx, bootstrap, topic, timeout)
    choice = choose(_read(letters), refs, origin_topic=origin_topic, group=group)
    for letter in choice.unreplayable:
        typer.echo(f"skipped {letter.id}: no dlq.source.* headers say where it came from", err=True)
    plan = replays(choice.chosen, topic)
    if not plan:
        typer.echo(f"nothing to replay: no dead letter on {topic} matches", err=True)
        return
    check_origins(plan, letters.partitions())
    if dry_run:
        for one in plan:
            typer.echo(would_send_line(one))
        return
    if not yes:
        typer.confirm(question(plan), abort=True)
    sent = letters.send(plan)
    for index, one in enumerate(plan):
        if index in sent.offsets:
            typer.echo(sent_line(one, sent.offsets[index]))
    if sent.errors:
        index, reason = min(sent.errors.items())
        raise ToolError(
            f"{len(sent.errors)} of {len(plan)} records were not replayed; the broker at "
            f"{letters.broker.bootstrap} said for {plan[index].topic} partition "
            f"{plan[index].partition}: {reason}"
        )
