-- ShippingService: one shipment per order.
CREATE TABLE IF NOT EXISTS shipping.shipments (
    order_id uuid PRIMARY KEY,
    shipment_id uuid NOT NULL UNIQUE,
    user_id text NOT NULL,
    total_cents bigint NOT NULL,
    state text NOT NULL CHECK (state IN ('created', 'cancelled')),
    created_at timestamptz NOT NULL,
    cancelled_at timestamptz
);

CREATE TABLE IF NOT EXISTS shipping.inbox (LIKE orders.inbox INCLUDING ALL);
