-- Least privilege: each service logs in as a role of its own that can read
-- and write the rows of its own schema and nothing else (no DDL, no other
-- service's tables), and the Debezium connector logs in as a role that may
-- stream the WAL and read the four outbox tables, nothing more. The superuser
-- that owns everything (Settings.postgres_user) is left to the launcher, the
-- migrations and the admin commands.
--
-- The names are the defaults of Settings.postgres_*_role. Roles belong to the
-- cluster, not the database, so they are created only when missing. No
-- passwords: the local cluster trusts loopback (see the README); a managed
-- Postgres sets them outside this file.
DO $$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY[
        'orderflow_orders', 'orderflow_inventory', 'orderflow_shipping', 'orderflow_payment'
    ] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
            EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', role_name);
        END IF;
    END LOOP;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'orderflow_connector') THEN
        CREATE ROLE orderflow_connector LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE;
    END IF;
END
$$;

-- Nobody but the owner creates objects in the shared public schema.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Each service: its own schema, rows only. DEFAULT PRIVILEGES covers tables a
-- later migration adds, since migrations run as the owner.
DO $$
DECLARE
    pair text[];
BEGIN
    FOREACH pair SLICE 1 IN ARRAY ARRAY[
        ['orders', 'orderflow_orders'],
        ['inventory', 'orderflow_inventory'],
        ['shipping', 'orderflow_shipping'],
        ['payment', 'orderflow_payment']
    ] LOOP
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), pair[2]);
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', pair[1], pair[2]);
        EXECUTE format(
            'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I',
            pair[1], pair[2]
        );
        EXECUTE format(
            'ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE'
            ' ON TABLES TO %I',
            pair[1], pair[2]
        );
    END LOOP;
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO orderflow_connector', current_database());
END
$$;

-- The connector: SELECT on the outbox tables is all Debezium reads (the
-- snapshot is off, the rows come from the WAL). The publication exists before
-- the connector starts, so it never has to create or alter one, which would
-- need ownership of the tables; with publication.autocreate.mode=filtered,
-- Debezium finds it already lists exactly table.include.list and leaves it.
GRANT USAGE ON SCHEMA orders, inventory, shipping, payment TO orderflow_connector;
GRANT SELECT ON orders.outbox, inventory.outbox, shipping.outbox, payment.outbox
    TO orderflow_connector;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'orderflow_outbox') THEN
        CREATE PUBLICATION orderflow_outbox
            FOR TABLE orders.outbox, inventory.outbox, shipping.outbox, payment.outbox;
    END IF;
END
$$;
