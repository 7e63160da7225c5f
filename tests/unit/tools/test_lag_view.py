"""The lag arithmetic and what `orderflow lag` prints of it."""

from __future__ import annotations

import pytest
from confluent_kafka import OFFSET_INVALID

from orderflow.tools.lag_view import (
    PartitionLag,
    committed_offset,
    lag_document,
    lag_of,
    table_cells,
    total_lag,
)


@pytest.mark.parametrize(
    ("committed", "low", "high", "lag"),
    [
        (7, 0, 10, 3),  # behind by three
        (10, 0, 10, 0),  # caught up
        (None, 0, 10, 10),  # nothing committed: all of the log, from the oldest kept
        (None, 4, 10, 6),  # ... which retention may have trimmed
        (None, 5, 5, 0),  # an empty log
        (2, 4, 10, 6),  # committed before what retention kept: only what is left
        (12, 0, 10, 0),  # past the end (a topic made again): nothing to read
    ],
)
def test_lag_counts_what_the_group_has_still_to_read(
    committed: int | None, low: int, high: int, lag: int
) -> None:
    assert lag_of(committed, low, high) == lag


def test_librdkafka_s_no_offset_reads_as_none() -> None:
    assert committed_offset(OFFSET_INVALID) is None
    assert committed_offset(0) == 0
    assert committed_offset(42) == 42


ROWS = [
    PartitionLag("inventory", "Orders", 0, 5, 0, 8, "inventory-41"),
    PartitionLag("inventory", "Orders", 1, None, 2, 6, None),
    PartitionLag("payment", "Shipping", 0, 3, 0, 3, "payment-7"),
]


def test_a_row_shows_a_missing_commit_and_owner_as_a_dash() -> None:
    assert table_cells(ROWS[0]) == ["inventory", "Orders", "0", "5", "8", "3", "inventory-41"]
    assert table_cells(ROWS[1]) == ["inventory", "Orders", "1", "-", "6", "4", "-"]


def test_the_document_has_every_group_asked_with_its_total() -> None:
    document = lag_document(["inventory", "payment", "idle"], ROWS, owners_known=True)

    assert document["owners_known"] is True
    assert [(g["group"], g["lag"]) for g in document["groups"]] == [
        ("inventory", 7),
        ("payment", 0),
        ("idle", 0),
    ]
    assert document["groups"][0]["partitions"][1] == {
        "topic": "Orders",
        "partition": 1,
        "committed": None,
        "log_start": 2,
        "log_end": 6,
        "lag": 4,
        "owner": None,
    }
    assert document["groups"][2]["partitions"] == []
    assert total_lag(ROWS, "inventory") == 7
