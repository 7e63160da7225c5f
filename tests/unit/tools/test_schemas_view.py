"""What `orderflow schemas` prints, and the versions it takes; pure."""

from __future__ import annotations

import pytest
import typer

from orderflow.tools.schemas_view import (
    LATEST,
    Level,
    SubjectRow,
    Version,
    incompatible_line,
    parse_version,
    pretty,
    reason_line,
    subject_table,
)

# As the registry (ours or Confluent's) answers a verbose check: the reason, then context.
MESSAGES = [
    "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'new schema reading old "
    "is incompatible at '/fields/5'', additionalInfo:'coupon'}",
    "{oldSchemaVersion: 2}",
    '{oldSchema: \'{"type":"record","name":"OrderPlaced","fields":[]}\'}',
    "{compatibility: 'BACKWARD'}",
]


def test_the_table_has_a_row_a_subject_sorted_in_columns() -> None:
    rows = [
        SubjectRow("quickstart-avro-value", 2, 17, Level("BACKWARD", own=False)),
        SubjectRow("OrderEventsTopic-value", 1, 3, Level("FULL", own=True)),
    ]

    assert subject_table(rows) == [
        "SUBJECT                 VERSION  ID  COMPATIBILITY",
        "OrderEventsTopic-value  1        3   FULL",
        "quickstart-avro-value   2        17  BACKWARD (global)",
    ]


def test_the_reason_keeps_what_is_wrong_and_drops_the_restated_question() -> None:
    assert reason_line(MESSAGES) == MESSAGES[0]


def test_a_reason_on_several_lines_is_one() -> None:
    assert reason_line(["first\n  part", "second"]) == "first part; second"


def test_no_reason_at_all_says_so() -> None:
    assert reason_line([]) == "the registry gave no reason"
    # Nothing but context: better shown than nothing.
    assert reason_line(MESSAGES[1:2]) == "{oldSchemaVersion: 2}"


def test_the_incompatible_line_names_the_file_version_level_409_and_reason() -> None:
    line = incompatible_line(
        "x.avsc", "s-value version 2 (id 7)", Level("BACKWARD", own=False), MESSAGES
    )

    assert line == (
        "x.avsc is not compatible with s-value version 2 (id 7) (BACKWARD): "
        f"registering it would be refused (409): {MESSAGES[0]}"
    )
    assert "\n" not in line


def test_pretty_indents_compact_json() -> None:
    assert pretty('{"type":"record","fields":[]}') == '{\n  "type": "record",\n  "fields": []\n}'


@pytest.mark.parametrize(
    ("text", "version"),
    [("latest", LATEST), ("LATEST", LATEST), ("1", Version(1)), ("12", Version(12))],
)
def test_versions_are_numbers_from_one_or_latest(text: str, version: Version) -> None:
    assert parse_version(text) == version
    assert str(version) == text.lower()


@pytest.mark.parametrize("text", ["0", "-1", "two", "1.5", ""])
def test_anything_else_is_a_usage_error(text: str) -> None:
    with pytest.raises(typer.BadParameter, match="not a version"):
        parse_version(text)
