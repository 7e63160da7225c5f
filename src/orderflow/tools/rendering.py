"""Showing what is on a topic as one safe line of text, whatever the bytes are.

A raw message may hold anything (Avro, JSON, a stray control character); a
line of output must neither break the terminal nor split into two lines.
Text is shown as text, everything else escaped the way Python writes it.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import json
import uuid

_NAMED_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
# surrogateescape turns each byte that is not UTF-8 into one lone surrogate.
_SURROGATE_BASE = 0xDC00


def render_bytes(data: bytes | None) -> str:
    """UTF-8 text as is; a backslash, a control or an invalid byte as an escape."""
    if data is None:
        return "null"
    text = data.decode("utf-8", errors="surrogateescape")
    return "".join(_render_char(char) for char in text)


def _render_char(char: str) -> str:
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    if char.isprintable():
        return char
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - _SURROGATE_BASE:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _json_default(value: object) -> object:
    # What fastavro decodes that JSON has no type for: Avro bytes/fixed,
    # decimals, timestamps, dates and uuids.
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be shown as JSON")


def to_json(value: object) -> str:
    """A decoded Avro value as one line of JSON (bytes in base64)."""
    return json.dumps(value, default=_json_default, ensure_ascii=False)
