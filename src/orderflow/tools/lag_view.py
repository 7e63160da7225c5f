"""What `orderflow lag` shows: per group, topic and partition, how far the group is behind.

Pure: the offsets come in as numbers (``orderflow.tools.lag`` reads them), the
lag, the table's cells and the JSON document go out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


def committed_offset(raw: int) -> int | None:
    """A committed offset as librdkafka returns it; None when the group committed none.

    librdkafka says "none" with a negative sentinel (OFFSET_INVALID, -1001);
    a real offset is never negative.
    """
    return raw if raw >= 0 else None


def lag_of(committed: int | None, low: int, high: int) -> int:
    """Messages the group has still to read on a partition whose log spans ``low..high``.

    With no committed offset the group starts at the oldest message kept
    (``auto.offset.reset=earliest``, as the services have it), so all of the
    log is lag. A commit below ``low`` points at messages retention deleted: the
    group can read only what is left. One past ``high`` (a topic deleted and
    made again) is nothing to read, not a negative lag.
    """
    start = low if committed is None else min(max(committed, low), high)
    return high - start


@dataclass(frozen=True)
class PartitionLag:
    """One partition of one group's topics, as `kafka-consumer-groups --describe` shows it."""

    group: str
    topic: str
    partition: int
    committed: int | None
    """Where the group resumes; None if it has committed nothing on this partition."""
    log_start: int
    """The oldest offset the log still keeps."""
    log_end: int
    """The log-end offset: the offset the next message will get."""
    owner: str | None
    """The client id of the member that holds the partition; None if nobody does."""

    @property
    def lag(self) -> int:
        """Derived, not stored, so that it cannot disagree with the offsets (see ``lag_of``)."""
        return lag_of(self.committed, self.log_start, self.log_end)


def total_lag(rows: Sequence[PartitionLag], group: str) -> int:
    return sum(row.lag for row in rows if row.group == group)


def table_cells(row: PartitionLag) -> list[str]:
    """One row of the table, as `kafka-consumer-groups --describe` has it."""
    return [
        row.group,
        row.topic,
        str(row.partition),
        "-" if row.committed is None else str(row.committed),
        str(row.log_end),
        str(row.lag),
        row.owner or "-",
    ]


COLUMNS = ("group", "topic", "partition", "committed", "log end", "lag", "owner")


def lag_document(
    groups: Sequence[str], rows: Sequence[PartitionLag], *, owners_known: bool
) -> dict[str, Any]:
    """The JSON of `orderflow lag --json`: every group asked, in order, even one with
    no partitions to show, its total lag and its partitions; ``owners_known`` false
    when Kafka did not describe the groups (every owner then reads as null)."""
    return {
        "owners_known": owners_known,
        "groups": [
            {
                "group": group,
                "lag": total_lag(rows, group),
                "partitions": [
                    {
                        "topic": row.topic,
                        "partition": row.partition,
                        "committed": row.committed,
                        "log_start": row.log_start,
                        "log_end": row.log_end,
                        "lag": row.lag,
                        "owner": row.owner,
                    }
                    for row in rows
                    if row.group == group
                ],
            }
            for group in groups
        ],
    }
