-- PaymentService: users' balances and one payment per order. A user without
-- a row gets the default balance (Settings.payment_default_balance_cents) on
-- their first payment; `orderflow payment set-balance` sets it from outside.
CREATE TABLE IF NOT EXISTS payment.accounts (
    user_id text PRIMARY KEY,
    balance_cents bigint NOT NULL CHECK (balance_cents >= 0)
);

CREATE TABLE IF NOT EXISTS payment.payments (
    order_id uuid PRIMARY KEY,
    user_id text NOT NULL,
    amount_cents bigint NOT NULL,
    state text NOT NULL CHECK (state IN ('completed', 'declined')),
    reason text,
    created_at timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS payment.inbox (LIKE orders.inbox INCLUDING ALL);
