"""Showing what is on a topic as one safe line of text, whatever the bytes are.

A raw message may hold anything (Avro, JSON, a stray control character); a
line of output must neither break the terminal nor split into two lines.
Text is shown as text; anything else is binary and escaped byte by byte,
because decoding it as text would show the few byte runs that happen to be
valid UTF-8 as stray letters (an Avro body reads as Cyrillic and CJK).
"""

from __future__ import annotations

import base64
import datetime
import decimal
import json
import re
import unicodedata
import uuid

_NAMED_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Whitespace that text holds; every other control character makes a value binary.
_TEXT_CONTROLS = frozenset("\t\n\r")
# What json.dumps leaves raw with ensure_ascii=False and a terminal may still act
# on: DEL and the C1 controls (U+009B is CSI), and the Unicode line separators.
_JSON_UNSAFE = re.compile("[\u007f-\u009f\u2028\u2029]")


def is_text(data: bytes) -> bool:
    """Valid UTF-8 holding no control character but tab, newline and carriage return."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(
        unicodedata.category(char) == "Cc" and char not in _TEXT_CONTROLS for char in text
    )


def render_bytes(data: bytes | None) -> str:
    """Text as is, a backslash or a non-printable character escaped; binary escaped bytewise."""
    if data is None:
        return "null"
    if is_text(data):
        return "".join(_render_char(char) for char in data.decode("utf-8"))
    return escape_binary(data)


def escape_binary(data: bytes) -> str:
    """Printable ASCII as is, a backslash doubled, every other byte as ``\\xNN`` (or \\t...)."""
    return "".join(_render_byte(byte) for byte in data)


def _render_byte(byte: int) -> str:
    char = chr(byte)
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    return char if 0x20 <= byte < 0x7F else f"\\x{byte:02x}"


def _render_char(char: str) -> str:
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    if char.isprintable():
        return char
    code = ord(char)
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
    """A value (a decoded Avro record, a record's document) as one line of JSON (bytes in base64).

    Non-ASCII text stays readable; the characters a terminal would act on are escaped.
    """
    shown = json.dumps(value, default=_json_default, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", shown)
