"""Input lines as messages for `orderflow produce`."""

from __future__ import annotations

import pytest

from orderflow.tools.errors import ToolError
from orderflow.tools.keyed_lines import KeyedLine, keyed_lines


def test_lines_with_one_key_skip_blank_lines() -> None:
    lines = ["one\n", "\n", "   \n", "two\r\n"]
    assert list(keyed_lines(lines, "k", None)) == [
        KeyedLine(1, "k", "one"),
        KeyedLine(4, "k", "two"),
    ]


def test_no_key() -> None:
    assert list(keyed_lines(["v"], None, None)) == [KeyedLine(1, None, "v")]


def test_split_at_the_first_separator() -> None:
    lines = ["user-1:a:b\n", "user-2:\n"]
    assert list(keyed_lines(lines, None, ":")) == [
        KeyedLine(1, "user-1", "a:b"),
        KeyedLine(2, "user-2", ""),
    ]


def test_a_line_without_the_separator_is_refused_by_number() -> None:
    with pytest.raises(ToolError, match="line 2 has no key separator ':'"):
        list(keyed_lines(["a:1", "b 2"], None, ":"))
