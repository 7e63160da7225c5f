"""Raw bytes as one safe line; Avro values as one line of JSON."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid

import pytest

from orderflow.tools.rendering import render_bytes, to_json


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (None, "null"),
        (b"", ""),
        (b"hello world", "hello world"),
        ("café ✓".encode(), "café ✓"),
        (b"two\nlines\r\tand a tab", "two\\nlines\\r\\tand a tab"),
        (b"a \\ backslash", "a \\\\ backslash"),
        (b"\x00\x00\x00\x00\x01\x04o1", "\\x00\\x00\\x00\\x00\\x01\\x04o1"),
        (b"\xff\xfe not utf-8", "\\xff\\xfe not utf-8"),
        (b"\x1b[31mred", "\\x1b[31mred"),
        ("\u2028".encode(), "\\u2028"),
    ],
)
def test_render_bytes(raw: bytes | None, shown: str) -> None:
    assert render_bytes(raw) == shown


def test_rendered_bytes_are_one_printable_line() -> None:
    everything = bytes(range(256))
    shown = render_bytes(everything)
    assert shown.isprintable()
    assert "\n" not in shown


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


def test_to_json_refuses_what_it_cannot_show() -> None:
    with pytest.raises(TypeError, match="object cannot be shown as JSON"):
        to_json({"x": object()})
