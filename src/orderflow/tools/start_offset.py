"""Where `orderflow consume` starts in each partition, as kcat's ``-o`` says it.

``beginning`` (or ``earliest``), ``end`` (or ``latest``), an offset (``42``) or
a count back from the end (``-10``: the last ten messages of each partition).
Each resolves against a partition's span, the oldest offset it keeps and its
log end, to one absolute offset, so that what is read is what was asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import typer

from orderflow.tools.errors import ToolError


class Kind(Enum):
    BEGINNING = "beginning"
    END = "end"
    AT = "at"
    """The offset ``number``, in the one partition given with --partition."""
    FROM_END = "from end"
    """``number`` messages before the log end, in each partition read."""


@dataclass(frozen=True)
class StartOffset:
    kind: Kind
    number: int = 0


BEGINNING = StartOffset(Kind.BEGINNING)
END = StartOffset(Kind.END)
_NAMES = {"beginning": BEGINNING, "earliest": BEGINNING, "end": END, "latest": END}


def parse_start_offset(text: str) -> StartOffset:
    """``--offset``'s value, or a usage error naming what it can be."""
    spec = text.strip().lower()
    if spec in _NAMES:
        return _NAMES[spec]
    if spec.isdigit():
        return StartOffset(Kind.AT, int(spec))
    if spec.startswith("-") and spec[1:].isdigit():
        return StartOffset(Kind.FROM_END, int(spec[1:]))
    raise typer.BadParameter(
        f"{text!r} is not an offset: give a number from 0, -N (the last N messages), "
        "beginning or end"
    )


def resolve(start: StartOffset, low: int, high: int, where: str) -> int:
    """The offset to start at in a partition that keeps ``low`` up to its log end ``high``.

    An offset outside the partition is refused rather than left to the
    consumer's reset policy, which would silently read from somewhere else.
    """
    match start.kind:
        case Kind.BEGINNING:
            return low
        case Kind.END:
            return high
        case Kind.FROM_END:
            return max(low, high - start.number)
        case Kind.AT:
            if not low <= start.number <= high:
                kept = f"offsets {low}..{high - 1}" if high > low else "no message"
                raise ToolError(
                    f"offset {start.number} is not in {where}: it keeps {kept}, "
                    f"the next one gets {high}"
                )
            return start.number
