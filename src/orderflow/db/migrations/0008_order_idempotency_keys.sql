-- Safe retries of POST /order (see services/order/idempotency.py): the
-- Idempotency-Key an order was placed with, and the SHA-256 fingerprint of
-- what the request asked for, written in the order's own transaction so that
-- a retry after a restart still finds them. Both NULL for an order placed
-- without a key, as every order of before was; keys do not expire.
ALTER TABLE orders.orders ADD COLUMN IF NOT EXISTS idempotency_key text;
ALTER TABLE orders.orders ADD COLUMN IF NOT EXISTS request_hash bytea;

-- One order per key and user (a key is scoped to its userId, as Stripe scopes
-- keys to an account). The index decides between two requests racing with one
-- key: the second insert waits for the first transaction and, once it commits,
-- does nothing (ON CONFLICT DO NOTHING) and returns the first one's order.
-- Partial: orders without a key, the hot path, add nothing to it.
CREATE UNIQUE INDEX IF NOT EXISTS orders_idempotency_key
    ON orders.orders (user_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
