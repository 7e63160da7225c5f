"""Schema migrations: numbered SQL files applied once each, in order.

Every service's tables live in one database, each service in a Postgres
schema of its own. The stack launcher migrates before it registers the
connector, because Debezium builds its publication from the outbox tables
that exist when it starts.
"""

from __future__ import annotations

from importlib import resources

import psycopg

_LEDGER = """
CREATE TABLE IF NOT EXISTS public.schema_migrations (
    name text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
)
"""


def migration_names() -> list[str]:
    folder = resources.files("orderflow.db") / "migrations"
    return sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".sql"))


def _migration_sql(name: str) -> str:
    return (resources.files("orderflow.db") / "migrations" / name).read_text(encoding="utf-8")


def migrate(dsn: str) -> list[str]:
    """Apply the migrations not yet applied; returns the names it applied."""
    applied_now: list[str] = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(_LEDGER)
        for name in migration_names():
            # One transaction per file, holding a lock, so two launchers racing
            # on one database apply each file exactly once.
            with conn.transaction():
                conn.execute("LOCK TABLE public.schema_migrations IN EXCLUSIVE MODE")
                done = conn.execute(
                    "SELECT 1 FROM public.schema_migrations WHERE name = %s", (name,)
                ).fetchone()
                if done:
                    continue
                conn.execute(_migration_sql(name).encode())
                conn.execute("INSERT INTO public.schema_migrations (name) VALUES (%s)", (name,))
                applied_now.append(name)
    return applied_now
