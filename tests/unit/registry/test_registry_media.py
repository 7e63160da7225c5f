"""Choosing an answer's media type from Accept, and which bodies are read: in memory."""

from __future__ import annotations

import pytest

from orderflow.registry import media
from orderflow.registry.media import JSON, SCHEMAREGISTRY, V1, MediaRange

# What confluent-kafka 2.16 (confluent_kafka.schema_registry, both clients)
# sends on every request without a body.
PYTHON_CLIENT_ACCEPT = (
    "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json"
)
# The Java client (Connect's converters) sets no Accept; the JDK's
# HttpURLConnection sends this one.
JDK_ACCEPT = "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2"


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, V1),
        ("", V1),
        ("  ", V1),
        ("*/*", V1),
        ("application/*", V1),
        (PYTHON_CLIENT_ACCEPT, V1),
        (JDK_ACCEPT, V1),
        (V1, V1),
        (SCHEMAREGISTRY, SCHEMAREGISTRY),
        (JSON, JSON),
        ("APPLICATION/JSON", JSON),
        ("application/json; charset=utf-8", JSON),
        ("text/html, application/json;q=0.1", JSON),
        # Equal q: the server's qs decides.
        (f"{JSON}, {SCHEMAREGISTRY}", SCHEMAREGISTRY),
        (f"{JSON};q=0.9, {SCHEMAREGISTRY};q=0.8", JSON),
        # The most specific range gives a type its q, whatever order they come in.
        (f"{JSON};q=0.5, application/*;q=0.1", JSON),
        (f"application/*;q=0.1, {JSON};q=0.5", JSON),
        (f"*/*, {V1};q=0", SCHEMAREGISTRY),
        (f"*/*;q=0, {JSON}", JSON),
        # qs is the server's weight; a client's is ignored.
        (f"{JSON}; qs=1, {V1}; qs=0.1", V1),
    ],
)
def test_the_answer_type_follows_accept(accept: str | None, chosen: str) -> None:
    assert media.choose(accept) == chosen


@pytest.mark.parametrize(
    "accept",
    [
        "text/html",
        "application/xml, text/*",
        "json",
        "*/json",
        "*/*;q=0",
        f"{V1};q=0, {SCHEMAREGISTRY};q=0, {JSON};q=0",
        f"{JSON};q=2",
        f"{JSON};q=nan",
        f"{JSON};q=-1",
        f"{JSON};q=",
        ",,;",
    ],
)
def test_an_accept_naming_none_of_the_three_is_refused(accept: str) -> None:
    assert media.choose(accept) is None


def test_a_malformed_element_is_skipped_and_the_rest_still_counts() -> None:
    assert media.parse_accept(f"text/, {JSON};q=abc, {SCHEMAREGISTRY};q=0.3") == [
        MediaRange("application", "vnd.schemaregistry+json", 0.3)
    ]
    assert media.choose(f"{JSON};q=abc, {SCHEMAREGISTRY};q=0.3") == SCHEMAREGISTRY


def test_the_jdk_default_is_read_as_its_ranges() -> None:
    assert media.parse_accept(JDK_ACCEPT) == [
        MediaRange("text", "html", 1.0),
        MediaRange("image", "gif", 1.0),
        MediaRange("image", "jpeg", 1.0),
        MediaRange("*", "*", 0.2),
        MediaRange("*", "*", 0.2),
    ]


def test_parameters_after_q_are_extensions_not_a_second_q() -> None:
    assert media.parse_accept(f"{JSON}; q=0.4; q=0.9") == [MediaRange("application", "json", 0.4)]


def test_a_long_hostile_accept_is_refused_without_error() -> None:
    assert media.choose(", ".join(["text/html;q=0.5"] * 5000)) is None


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "",
        V1,
        SCHEMAREGISTRY,
        JSON,
        "application/octet-stream",
        "application/json; charset=utf-8",
        "Application/Vnd.SchemaRegistry.v1+JSON",
    ],
)
def test_bodies_read_are_the_three_octet_stream_or_unlabelled(content_type: str | None) -> None:
    assert media.consumable(content_type)


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/xml", "json", "*/*"],
)
def test_other_bodies_are_not_read(content_type: str) -> None:
    assert not media.consumable(content_type)
