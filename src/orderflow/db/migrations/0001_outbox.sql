-- Every service owns a Postgres schema and an outbox in it. A service writes
-- its state and the events it emits in one transaction: it inserts the event
-- here and deletes it again before commit. The row never stays in the table,
-- but the WAL carries the insert, and Debezium's outbox event router turns it
-- into a Kafka record: topic = aggregate_type, key = aggregate_id,
-- value = payload (already Confluent-framed Avro, passed through unchanged).
CREATE SCHEMA IF NOT EXISTS orders;
CREATE SCHEMA IF NOT EXISTS inventory;
CREATE SCHEMA IF NOT EXISTS shipping;
CREATE SCHEMA IF NOT EXISTS payment;

CREATE TABLE IF NOT EXISTS orders.outbox (
    id uuid PRIMARY KEY,
    aggregate_type text NOT NULL,
    aggregate_id text NOT NULL,
    event_type text NOT NULL,
    payload bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS inventory.outbox (LIKE orders.outbox INCLUDING ALL);
CREATE TABLE IF NOT EXISTS shipping.outbox (LIKE orders.outbox INCLUDING ALL);
CREATE TABLE IF NOT EXISTS payment.outbox (LIKE orders.outbox INCLUDING ALL);
