"""What `orderflow dead-letters replay` sends: which dead letters, where, with which headers.

Pure: the dead letters read come in, the records to send and the lines that
say so go out. A replayed record is the record as it was (key, value, its own
headers) sent to the partition it came from, so that an order's events stay
on one partition in their order; it gains one header, ``dlq.replayed.from``,
naming the dead letter it came from. It goes to every group that reads the
topic, not only the one that gave up: an inbox that handled the event already
drops it as a duplicate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import typer

from orderflow.tools.dead_letters_view import (
    EVENT_TYPE,
    PREFIX,
    REPLAYED_FROM,
    DeadLetter,
    Headers,
    LetterId,
    Origin,
)
from orderflow.tools.errors import ToolError
from orderflow.tools.rendering import render_bytes


@dataclass(frozen=True)
class Ref:
    """A dead letter as the command line names it: ``3:17``, or ``17`` (partition unsaid)."""

    partition: int | None
    offset: int

    def __str__(self) -> str:
        return str(self.offset) if self.partition is None else f"{self.partition}:{self.offset}"


def parse_ref(text: str) -> Ref:
    """A dead-letter id, ``PARTITION:OFFSET`` as `list` shows it, or an offset alone."""
    partition, colon, offset = text.strip().rpartition(":")
    if offset.isdecimal() and (not colon or partition.isdecimal()):
        return Ref(int(partition) if colon else None, int(offset))
    raise typer.BadParameter(
        f"{text!r} is not a dead-letter id: give PARTITION:OFFSET as `list` shows it (3:17)"
    )


@dataclass(frozen=True)
class Choice:
    chosen: list[DeadLetter]
    """In the order they were on their origin partitions."""
    unreplayable: list[DeadLetter]
    """Chosen by --all but without the ``dlq.source.*`` headers that say where to send them."""


def choose(
    letters: Sequence[DeadLetter],
    refs: Sequence[Ref],
    *,
    origin_topic: str | None = None,
    group: str | None = None,
) -> Choice:
    """The dead letters ``refs`` name, or with no refs every one, of ``origin_topic`` and
    ``group`` when given. A ref that names none, or more than one, is an error; so is
    one whose dead letter the filters leave out, or that cannot be replayed."""
    wanted = [_one(letters, ref) for ref in refs] if refs else list(letters)
    chosen: dict[LetterId, DeadLetter] = {}
    unreplayable: list[DeadLetter] = []
    for letter in wanted:
        if not _passes(letter, origin_topic, group):
            if refs:
                raise ToolError(f"dead letter {letter.id} {_not_matching(letter, origin_topic)}")
            continue
        if letter.origin is None:
            if refs:
                raise ToolError(
                    f"dead letter {letter.id} has no dlq.source.topic, partition and offset "
                    "headers: where it came from is unknown"
                )
            unreplayable.append(letter)
            continue
        chosen.setdefault(letter.id, letter)
    return Choice(sorted(chosen.values(), key=_original_order), unreplayable)


def _one(letters: Sequence[DeadLetter], ref: Ref) -> DeadLetter:
    found = [
        letter
        for letter in letters
        if letter.id.offset == ref.offset and ref.partition in (None, letter.id.partition)
    ]
    if not found:
        raise ToolError(f"no dead letter {ref}; `orderflow dead-letters list` shows their ids")
    if len(found) > 1:
        ids = " or ".join(str(letter.id) for letter in found)
        raise ToolError(f"offset {ref.offset} is on more than one partition: give {ids}")
    return found[0]


def _passes(letter: DeadLetter, origin_topic: str | None, group: str | None) -> bool:
    origin = letter.origin
    if origin_topic is not None and (origin is None or origin.topic != origin_topic):
        return False
    return group is None or letter.group == group


def _not_matching(letter: DeadLetter, origin_topic: str | None) -> str:
    origin = letter.origin.topic if letter.origin else "an unknown topic"
    if origin_topic is not None and origin != origin_topic:
        return f"came from {origin}, not --origin-topic {origin_topic}"
    return f"was dead-lettered by {letter.group or 'an unknown group'}, not the --group given"


def _original_order(letter: DeadLetter) -> tuple[str, int, int, LetterId]:
    assert letter.origin is not None, "only replayable letters are sorted"
    return (letter.origin.topic, letter.origin.partition, letter.origin.offset, letter.id)


@dataclass(frozen=True)
class Replay:
    """One record to send back: where, and what, as it was before its consumer gave up."""

    letters: tuple[LetterId, ...]
    """The dead letters it replays: each group that gave up on it wrote one."""
    origin: Origin
    key: bytes | None
    value: bytes | None
    headers: Headers
    event_type: str | None

    @property
    def topic(self) -> str:
        return self.origin.topic

    @property
    def partition(self) -> int:
        return self.origin.partition


def replays(chosen: Iterable[DeadLetter], dead_letter_topic: str) -> list[Replay]:
    """One record to send per record dead-lettered, in the order given.

    Two groups giving up on one record write two dead letters of it; sent once, it
    reaches both groups again, so two sends would only be a duplicate for each.
    """
    by_record: dict[tuple[Origin, bytes | None, bytes | None, Headers], list[DeadLetter]] = {}
    for letter in chosen:
        assert letter.origin is not None, "choose() keeps replayable letters only"
        same = (letter.origin, letter.key, letter.value, letter.headers)
        by_record.setdefault(same, []).append(letter)
    return [
        Replay(
            letters=tuple(letter.id for letter in letters),
            origin=origin,
            key=key,
            value=value,
            headers=replay_headers(headers, dead_letter_topic, [lt.id for lt in letters]),
            event_type=letters[0].header(EVENT_TYPE),
        )
        for (origin, key, value, headers), letters in by_record.items()
    ]


def replay_headers(own: Headers, dead_letter_topic: str, ids: Iterable[LetterId]) -> Headers:
    """The record's own headers, as they were, then one ``dlq.replayed.from`` per dead letter.

    Any ``dlq.*`` header goes first: a record that failed again after a replay
    carries the earlier one, which would now name the wrong dead letter.
    """
    kept = tuple((name, value) for name, value in own if not name.startswith(PREFIX))
    marks = tuple((REPLAYED_FROM, f"{dead_letter_topic}:{i}".encode()) for i in ids)
    return kept + marks


def check_origins(plan: Sequence[Replay], partitions: Mapping[str, Sequence[int]]) -> None:
    """Refuse, before anything is sent, a record whose topic or partition is gone."""
    for replay in plan:
        ids = _ids(replay)
        found = partitions.get(replay.topic)
        if found is None:
            raise ToolError(
                f"dead letter {ids} came from topic {replay.topic!r}, which does not exist"
            )
        if replay.partition not in found:
            span = f"{min(found)}..{max(found)}" if found else "none"
            raise ToolError(
                f"dead letter {ids} came from {replay.topic} partition {replay.partition}, "
                f"which it does not have (partitions {span})"
            )


def _ids(replay: Replay) -> str:
    return ", ".join(str(letter) for letter in replay.letters)


def _about(replay: Replay) -> str:
    key = "no key" if replay.key is None else f"key {render_bytes(replay.key)}"
    return f"was offset {replay.origin.offset}; {replay.event_type or 'unknown event'}, {key}"


def would_send_line(replay: Replay) -> str:
    return (
        f"would send {_ids(replay)} to {replay.topic} partition {replay.partition} "
        f"({_about(replay)})"
    )


def sent_line(replay: Replay, offset: int) -> str:
    return (
        f"sent {_ids(replay)} to {replay.topic} partition {replay.partition} "
        f"at offset {offset} ({_about(replay)})"
    )


def question(plan: Sequence[Replay]) -> str:
    """What `replay` asks before it sends."""
    topics = sorted({replay.topic for replay in plan})
    count = len(plan)
    return (
        f"Send {count} record{'' if count == 1 else 's'} back to {', '.join(topics)}? "
        "Every group reading them gets them again; an inbox drops what it handled already."
    )
