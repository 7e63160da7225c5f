"""Lines of input as the messages `orderflow produce` sends: a value and maybe a key."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from orderflow.tools.errors import ToolError


@dataclass(frozen=True)
class KeyedLine:
    number: int
    key: str | None
    value: str


def keyed_lines(
    lines: Iterable[str], key: str | None, separator: str | None
) -> Iterator[KeyedLine]:
    """Each non-blank line with ``key``, or split at the first ``separator`` into key and value."""
    for number, line in enumerate(lines, start=1):
        text = line.rstrip("\r\n")
        if not text.strip():
            continue
        if separator is None:
            yield KeyedLine(number, key, text)
            continue
        line_key, found, value = text.partition(separator)
        if not found:
            raise ToolError(f"line {number} has no key separator {separator!r}: {text[:60]!r}")
        yield KeyedLine(number, line_key, value)
