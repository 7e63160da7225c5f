"""The media types the registry speaks, and the choice of one for an answer.

Confluent's registry (Jersey, under rest-utils) answers in three JSON types and
reads four: the same three and ``application/octet-stream``, the label Jersey
gives a body sent without a Content-Type. For each type it can answer in, the
client's q is that of the most specific Accept range naming it (RFC 9110,
section 12.5.1); the highest q wins and Confluent's ``qs`` weights break a
tie, so ``*/*`` or no Accept at all gets the v1 type. Pure functions of header
values; ``negotiation`` wires them into the app.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

V1 = "application/vnd.schemaregistry.v1+json"
SCHEMAREGISTRY = "application/vnd.schemaregistry+json"
JSON = "application/json"
OCTET_STREAM = "application/octet-stream"

# What an answer can be, with Confluent's qs: the server's preference.
PRODUCED: tuple[tuple[str, float], ...] = ((V1, 1.0), (SCHEMAREGISTRY, 0.9), (JSON, 0.5))
CONSUMED = frozenset({V1, SCHEMAREGISTRY, JSON, OCTET_STREAM})

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9a-z-]+")
# RFC 9110's qvalue, and also ".2": the JDK's HttpURLConnection sends "q=.2".
_QVALUE = re.compile(r"0(?:\.\d*)?|\.\d+|1(?:\.0*)?")


@dataclass(frozen=True)
class MediaRange:
    """One element of an Accept header: ``kind/subtype``, ``kind/*`` or ``*/*``."""

    kind: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """2 if it names ``media_type`` exactly, 1 by its kind, 0 as ``*/*``, -1 not at all."""
        kind, _, subtype = media_type.partition("/")
        if self.kind == "*":
            return 0
        if self.kind != kind:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == subtype else -1


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an Accept header; an element that is none is left out."""
    ranges = (_media_range(element) for element in header.split(","))
    return [r for r in ranges if r is not None]


def _media_range(element: str) -> MediaRange | None:
    name, *parameters = element.split(";")
    name = name.strip().lower()
    if name == "*":
        name = "*/*"  # the JDK's default Accept, which the Java client leaves as it is
    kind, slash, subtype = name.partition("/")
    if not (slash and _TOKEN.fullmatch(kind) and _TOKEN.fullmatch(subtype)):
        return None
    if kind == "*" and subtype != "*":
        return None
    q = 1.0
    for parameter in parameters:
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "q":
            value = value.strip()
            if not _QVALUE.fullmatch(value):
                return None
            q = float(value)
            break  # what follows q are accept-extensions, not the type's parameters
    return MediaRange(kind, subtype, q)


def quality(ranges: list[MediaRange], media_type: str) -> float:
    """The client's q for ``media_type``: that of the most specific range naming it, or 0."""
    named = [(r.specificity(media_type), r.q) for r in ranges]
    return max((m for m in named if m[0] >= 0), default=(-1, 0.0))[1]


# Clients send the same few headers again and again; each answer asks once.
@lru_cache(maxsize=64)
def choose(accept: str | None) -> str | None:
    """The type to answer a request with this Accept header in; None if none is (406)."""
    if accept is None or not accept.strip():
        return V1
    ranges = parse_accept(accept)
    weighed = [(quality(ranges, media_type), qs, media_type) for media_type, qs in PRODUCED]
    q, _, best = max(weighed)
    return best if q > 0 else None


def consumable(content_type: str | None) -> bool:
    """Whether a body so labelled is read; one with no label is, as Jersey reads it."""
    if content_type is None or not content_type.strip():
        return True
    return content_type.partition(";")[0].strip().lower() in CONSUMED
