-- One trace per order (see observability/tracing.py): every outbox row carries
-- the W3C traceparent of the order it is about, which the connector places in
-- the Kafka record's `traceparent` header; the order keeps its trace id so that
-- GET /orders/{id} can name the trace. Nullable: rows of before have none.
ALTER TABLE orders.outbox ADD COLUMN IF NOT EXISTS traceparent text;
ALTER TABLE inventory.outbox ADD COLUMN IF NOT EXISTS traceparent text;
ALTER TABLE shipping.outbox ADD COLUMN IF NOT EXISTS traceparent text;
ALTER TABLE payment.outbox ADD COLUMN IF NOT EXISTS traceparent text;
ALTER TABLE orders.orders ADD COLUMN IF NOT EXISTS trace_id text;
