-- InventoryService: stock per item and one reservation per order.
-- available + reserved only changes through `orderflow inventory set`.
CREATE TABLE IF NOT EXISTS inventory.stock (
    item_id text PRIMARY KEY,
    available integer NOT NULL CHECK (available >= 0),
    reserved integer NOT NULL DEFAULT 0 CHECK (reserved >= 0)
);
INSERT INTO inventory.stock (item_id, available) VALUES
    ('item1', 10), ('item2', 5), ('item3', 0)
ON CONFLICT (item_id) DO NOTHING;

CREATE TABLE IF NOT EXISTS inventory.reservations (
    order_id uuid PRIMARY KEY,
    user_id text NOT NULL,
    items text[] NOT NULL,
    total_cents bigint NOT NULL,
    state text NOT NULL CHECK (state IN ('reserved', 'released')),
    created_at timestamptz NOT NULL,
    released_at timestamptz
);

CREATE TABLE IF NOT EXISTS inventory.inbox (LIKE orders.inbox INCLUDING ALL);
