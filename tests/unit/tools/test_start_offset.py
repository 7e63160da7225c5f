"""--offset as kcat -o spells it, and where it starts in a partition."""

from __future__ import annotations

import pytest
import typer

from orderflow.tools.errors import ToolError
from orderflow.tools.start_offset import (
    BEGINNING,
    END,
    Kind,
    StartOffset,
    parse_start_offset,
    resolve,
)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("beginning", BEGINNING),
        ("earliest", BEGINNING),
        ("END", END),
        ("latest", END),
        ("0", StartOffset(Kind.AT, 0)),
        (" 42 ", StartOffset(Kind.AT, 42)),
        ("-10", StartOffset(Kind.FROM_END, 10)),
    ],
)
def test_parse(text: str, start: StartOffset) -> None:
    assert parse_start_offset(text) == start


@pytest.mark.parametrize("text", ["", "start", "1.5", "--3", "- 3", "+3", "s@123", "0x10"])
def test_what_is_not_an_offset_is_a_usage_error(text: str) -> None:
    with pytest.raises(typer.BadParameter, match="is not an offset: give a number from 0"):
        parse_start_offset(text)


@pytest.mark.parametrize(
    ("start", "offset"),
    [
        (BEGINNING, 3),
        (END, 12),
        (StartOffset(Kind.AT, 3), 3),
        (StartOffset(Kind.AT, 7), 7),
        (StartOffset(Kind.AT, 12), 12),  # the log end: wait for the next message
        (StartOffset(Kind.FROM_END, 2), 10),
        (StartOffset(Kind.FROM_END, 0), 12),
        (StartOffset(Kind.FROM_END, 100), 3),  # no further back than what is kept
    ],
)
def test_resolve_in_a_partition_keeping_3_to_11(start: StartOffset, offset: int) -> None:
    assert resolve(start, low=3, high=12, where="partition 0") == offset


@pytest.mark.parametrize("asked", [2, 13])
def test_an_offset_outside_the_partition_is_refused(asked: int) -> None:
    with pytest.raises(ToolError) as refused:
        resolve(StartOffset(Kind.AT, asked), low=3, high=12, where="partition 1")
    assert str(refused.value) == (
        f"offset {asked} is not in partition 1: it keeps offsets 3..11, the next one gets 12"
    )


def test_an_empty_partition_says_it_keeps_nothing() -> None:
    with pytest.raises(ToolError, match="it keeps no message, the next one gets 5"):
        resolve(StartOffset(Kind.AT, 0), low=5, high=5, where="partition 0")
