"""What the admin commands write: one value of one keyed row, inserted or overwritten."""

from __future__ import annotations

from typing import LiteralString

import psycopg


def set_value(
    conn: psycopg.Connection,
    table: LiteralString,
    key: tuple[LiteralString, str],
    value: tuple[LiteralString, int],
) -> None:
    """Set column ``value[0]`` to ``value[1]`` in the row of ``table`` whose ``key[0]`` is
    ``key[1]``, inserting the row (other columns at their defaults) if there is none."""
    (key_column, key_value), (column, new_value) = key, value
    with conn.transaction():
        conn.execute(
            f"INSERT INTO {table} ({key_column}, {column}) VALUES (%s, %s)"
            f" ON CONFLICT ({key_column}) DO UPDATE SET {column} = EXCLUDED.{column}",
            (key_value, new_value),
        )
