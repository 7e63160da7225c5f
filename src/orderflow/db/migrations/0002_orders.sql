-- OrderService: orders and their status, written by the HTTP side (the order
-- and its first status) and by OrderStatusService (every later status).
CREATE TABLE IF NOT EXISTS orders.orders (
    order_id uuid PRIMARY KEY,
    user_id text NOT NULL,
    items text[] NOT NULL,
    total_cents bigint NOT NULL CHECK (total_cents >= 0),
    status text NOT NULL,
    -- The event types seen so far; the status is derived from them, which is
    -- what lets events from four topics arrive in any order.
    facts text[] NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Each status once per order, with the time of the event that caused it.
CREATE TABLE IF NOT EXISTS orders.status_history (
    order_id uuid NOT NULL REFERENCES orders.orders (order_id),
    status text NOT NULL,
    occurred_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (order_id, status)
);

-- What each consumer has processed, by event id (the inbox).
CREATE TABLE IF NOT EXISTS orders.inbox (
    consumer text NOT NULL,
    event_id uuid NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
