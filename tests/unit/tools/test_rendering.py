"""Raw bytes as one safe line, text as text and binary escaped; values as one line of JSON."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid

import pytest

from orderflow.tools.rendering import escape_binary, is_text, render_bytes, to_json

# An Avro body in the Confluent wire format whose string field holds UTF-8 bytes:
# decoded leniently as text, its framing vanished and "Привет" showed up in it.
FRAMED = b"\x00\x00\x00\x00\x07\x0co-1\x0c" + "Привет".encode()


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (None, "null"),
        (b"", ""),
        (b"hello world", "hello world"),
        ("café ✓ Привет 你好".encode(), "café ✓ Привет 你好"),
        (b"two\nlines\r\tand a tab", "two\\nlines\\r\\tand a tab"),
        (b"a \\ backslash", "a \\\\ backslash"),
        (b"\x00\x00\x00\x00\x01\x04o1", "\\x00\\x00\\x00\\x00\\x01\\x04o1"),
        (b"\xff\xfe not utf-8", "\\xff\\xfe not utf-8"),
        (b"\x1b[31mred", "\\x1b[31mred"),
        ("\u2028".encode(), "\\u2028"),
        ("é\x00".encode(), "\\xc3\\xa9\\x00"),
        (b"\\\x00", "\\\\\\x00"),
    ],
)
def test_render_bytes(raw: bytes | None, shown: str) -> None:
    assert render_bytes(raw) == shown


def test_binary_is_never_decoded_as_text() -> None:
    shown = render_bytes(FRAMED)
    assert shown.isascii(), shown
    assert shown == (
        "\\x00\\x00\\x00\\x00\\x07\\x0co-1\\x0c\\xd0\\x9f\\xd1\\x80\\xd0\\xb8"
        "\\xd0\\xb2\\xd0\\xb5\\xd1\\x82"
    )


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"", True),
        ("plain, Привет, 你好, ✓".encode(), True),
        (b'{"json": "with\\ttab"}\n', True),
        (b"tab\there\r\n", True),
        (b"\x00", False),
        (b"bell\x07", False),
        (b"del\x7f", False),
        ("c1 \u009b".encode(), False),
        (b"\xc3", False),
        (FRAMED, False),
    ],
)
def test_is_text(raw: bytes, text: bool) -> None:
    assert is_text(raw) is text


def test_escaped_binary_is_one_printable_ascii_line_for_every_byte() -> None:
    shown = escape_binary(bytes(range(256)))
    assert shown.isascii()
    assert shown.isprintable()
    assert "\n" not in shown
    assert render_bytes(bytes(range(256))) == shown


def test_to_json_handles_what_avro_decodes_to() -> None:
    value = {
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "amount": decimal.Decimal("12.50"),
        "at": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        "day": datetime.date(2024, 1, 2),
        "blob": b"\x00\x01",
        "items": ["item1"],
        "note": None,
    }
    shown = to_json(value)
    assert "\n" not in shown
    assert json.loads(shown) == {
        "id": "12345678-1234-5678-1234-567812345678",
        "amount": "12.50",
        "at": "2024-01-02T03:04:05+00:00",
        "day": "2024-01-02",
        "blob": "AAE=",
        "items": ["item1"],
        "note": None,
    }


def test_to_json_escapes_what_a_terminal_acts_on_and_keeps_text_readable() -> None:
    value = {"csi": "\u009b31m", "del": "\x7f", "lines": "a\u2028b\u2029c", "name": "Zoë 你好"}
    shown = to_json(value)
    assert shown.isprintable(), shown
    assert "Zoë 你好" in shown
    assert "\\u009b31m" in shown
    assert "\\u2028" in shown
    assert json.loads(shown) == value


def test_to_json_refuses_what_it_cannot_show() -> None:
    with pytest.raises(TypeError, match="object cannot be shown as JSON"):
        to_json({"x": object()})
