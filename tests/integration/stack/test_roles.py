"""Least privilege in Postgres: each service's role reaches its own rows only, and the
connector's role streams the WAL and reads the outboxes, nothing more."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors

from orderflow.services import SERVICES
from orderflow.settings import Settings
from orderflow.stack.connector import outbox_connector
from orderflow.stack.waiting import wait_until

pytestmark = pytest.mark.stack

SCHEMAS = tuple(service.schema for service in SERVICES)
ROLES = {service.schema: service.role for service in SERVICES}
# One table of each schema that is not the outbox or inbox.
STATE = {
    "orders": "orders.orders",
    "inventory": "inventory.stock",
    "shipping": "shipping.shipments",
    "payment": "payment.accounts",
}
OUTBOXES = {f"{schema}.outbox" for schema in SCHEMAS}


def _streaming(settings: Settings) -> set[str]:
    with psycopg.connect(settings.postgres_dsn) as admin:
        rows = admin.execute("SELECT usename FROM pg_stat_replication").fetchall()
    return {str(row[0]) for row in rows}


def _refused(conn: psycopg.Connection[tuple[object, ...]], statement: str) -> bool:
    try:
        conn.execute(statement.encode())
    except errors.InsufficientPrivilege:
        return True
    return False


@pytest.mark.parametrize("schema", SCHEMAS)
def test_a_service_reads_and_writes_its_own_schema_only(stack: Settings, schema: str) -> None:
    with psycopg.connect(stack.service_dsn(ROLES[schema](stack)), autocommit=True) as conn:
        conn.execute(f"SELECT count(*) FROM {STATE[schema]}".encode())
        conn.execute(f"SELECT count(*) FROM {schema}.inbox".encode())
        for other in SCHEMAS:
            if other != schema:
                assert _refused(conn, f"SELECT 1 FROM {STATE[other]}"), other
        assert _refused(conn, f"CREATE TABLE {schema}.intruder (x int)")
        assert _refused(conn, f"DROP TABLE {STATE[schema]}")
        assert _refused(conn, f"ALTER TABLE {STATE[schema]} ADD COLUMN x int")
        assert _refused(conn, "CREATE TABLE public.intruder (x int)")
        assert _refused(conn, "SELECT 1 FROM public.schema_migrations")


def test_the_connector_role_replicates_and_reads_the_outboxes_only(stack: Settings) -> None:
    role = stack.postgres_connector_role
    with psycopg.connect(stack.postgres_dsn) as admin:
        flags = admin.execute(
            "SELECT rolreplication, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles"
            " WHERE rolname = %s",
            (role,),
        ).fetchone()
        owner, tables = admin.execute(
            "SELECT pg_get_userbyid(p.pubowner), array_agg(t.schemaname || '.' || t.tablename)"
            " FROM pg_publication p JOIN pg_publication_tables t ON t.pubname = p.pubname"
            " WHERE p.pubname = 'orderflow_outbox' GROUP BY p.pubowner"
        ).fetchone() or (None, [])
    assert flags == (True, False, False, False)
    assert (owner, set(tables)) == (stack.postgres_user, OUTBOXES)
    # The connector streams as that role. Polled: after a stack restart (an
    # earlier test) its task may still be reconnecting.
    assert wait_until(lambda: _streaming(stack) == {role}, 60, 0.2), _streaming(stack)
    assert outbox_connector(stack)[1]["database.user"] == role
    as_connector = stack.postgres_dsn.replace(f"user={stack.postgres_user}", f"user={role}")
    with psycopg.connect(as_connector) as conn:
        conn.autocommit = True
        for outbox in OUTBOXES:
            conn.execute(f"SELECT count(*) FROM {outbox}".encode())
        for table in STATE.values():
            assert _refused(conn, f"SELECT 1 FROM {table}"), table
        assert _refused(conn, "DELETE FROM orders.outbox")
        assert _refused(conn, "ALTER PUBLICATION orderflow_outbox SET TABLE orders.outbox")
