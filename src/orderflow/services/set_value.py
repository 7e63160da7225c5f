"""What the admin commands write: one value of one keyed row, inserted or overwritten."""

from __future__ import annotations

import psycopg
from psycopg import sql


def set_value(
    conn: psycopg.Connection,
    table: tuple[str, str],
    key: tuple[str, str],
    value: tuple[str, int],
) -> None:
    """Set column ``value[0]`` to ``value[1]`` in the row of ``table`` (schema, name) whose
    ``key[0]`` is ``key[1]``, inserting the row (other columns at their defaults) if none."""
    (key_column, key_value), (column, new_value) = key, value
    statement = sql.SQL(
        "INSERT INTO {table} ({key}, {column}) VALUES (%s, %s)"
        " ON CONFLICT ({key}) DO UPDATE SET {column} = EXCLUDED.{column}"
    ).format(
        table=sql.Identifier(*table), key=sql.Identifier(key_column), column=sql.Identifier(column)
    )
    with conn.transaction():
        conn.execute(statement, (key_value, new_value))
