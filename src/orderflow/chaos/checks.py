"""The guarantees, each a rule over the evidence read after the system drained.

A check passes when it counts no violation; its detail says what it counted,
so that a pass is never a pass over nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from orderflow.chaos.evidence import CONSUMERS, Evidence, Order
from orderflow.chaos.load import NOT_SENT
from orderflow.chaos.plan import Path
from orderflow.chaos.verdict import Check
from orderflow.events.model import EVENT_TYPES, type_name
from orderflow.services.order.status import RANK, TERMINAL, Status

# The terminal status each planned path must end in.
EXPECTED = {
    Path.PAID: Status.PAID,
    Path.OUT_OF_STOCK: Status.INVENTORY_FAILED,
    Path.DECLINED: Status.CANCELLED,
}
# Effects that happen at most once per order: a second event id of one of these
# types for one order would be a double reservation, shipment or payment.
ONCE_PER_ORDER = frozenset(type_name(t) for t in EVENT_TYPES)


def placed(e: Evidence) -> Check:
    """Every 201 has its order in the database; nothing refused or unsent left one."""
    by_index = Counter(order.index for order in e.orders.values())
    ids = set(e.orders)
    created = [p for p in e.placements if p.http_status == 201]
    lost = sum(p.order_id not in ids for p in created)
    refused = {
        p.index
        for p in e.placements
        if p.error in NOT_SENT or (p.http_status is not None and 400 <= p.http_status < 500)
    }
    phantom = sum(by_index[index] for index in refused)
    doubled = sum(count - 1 for count in by_index.values() if count > 1)
    ambiguous = [p for p in e.placements if p.http_status != 201 and p.index not in refused]
    found = sum(by_index[p.index] for p in ambiguous)
    failures = Counter(
        p.error or f"HTTP {p.http_status}" for p in e.placements if p.order_id is None
    )
    return Check(
        "every accepted order is stored, once",
        lost + phantom + doubled,
        f"{len(created)} answered 201, {len(refused)} refused or not sent, "
        f"{len(ambiguous)} without an answer of which {found} were placed; "
        f"lost {lost}, phantom {phantom}, doubled {doubled}; failures: "
        + (", ".join(f"{count} {what}" for what, count in failures.most_common()) or "none"),
    )


def one_terminal(e: Evidence) -> Check:
    stuck = two = wrong = 0
    ends: Counter[str] = Counter()
    for order in e.orders.values():
        terminal = [s for s in order.history if s in TERMINAL]
        if not terminal:
            stuck += 1
            continue
        if len(terminal) > 1:
            two += 1
        expected = EXPECTED[e.planned[order.index].path]
        wrong += order.status != terminal[0] or terminal[0] != expected
        ends[terminal[0]] += 1
    outcome = ", ".join(f"{count} {status}" for status, count in sorted(ends.items()))
    return Check(
        "every order ends in exactly one terminal status",
        stuck + two + wrong,
        f"{outcome}; stuck {stuck}, two terminal {two}, not the expected one {wrong}",
    )


def forward_only(e: Evidence) -> Check:
    def backwards(order: Order) -> bool:
        ranks = [RANK[Status(s)] for s in order.history]
        starts = order.history[:1] == (Status.ORDER_CREATED,)
        return not starts or ranks != sorted(ranks)

    bad = sum(backwards(order) for order in e.orders.values())
    steps = sum(len(order.history) for order in e.orders.values())
    return Check(
        "status histories never go backwards", bad, f"{steps} statuses, {bad} out of order"
    )


def stock_conserved(e: Evidence) -> Check:
    paid = [o for o in e.orders.values() if o.status == Status.PAID]
    paid_items = Counter(item for order in paid for item in order.items)
    problems = []
    for item, (available, reserved) in sorted(e.stock.items()):
        if available + reserved != e.before.total.get(item, available + reserved):
            problems.append(f"{item}: {available}+{reserved} != {e.before.total[item]}")
        if reserved - e.before.reserved.get(item, 0) != paid_items[item]:
            problems.append(f"{item}: reserved grew by {reserved - e.before.reserved.get(item, 0)}"
                            f", paid orders hold {paid_items[item]}")  # fmt: skip
        if reserved != e.reserved_by_reservations.get(item, 0):
            problems.append(f"{item}: reserved {reserved} != reservations' {item}")
    held = {"reserved": Status.PAID, "released": Status.CANCELLED}
    mismatched = sum(
        order_id not in e.orders or held.get(state) != e.orders[order_id].status
        for order_id, (state, _) in e.reservations.items()
    )
    missing = sum(
        o.status in (Status.PAID, Status.CANCELLED) and o.order_id not in e.reservations
        for o in e.orders.values()
    )
    violations = len(problems) + mismatched + missing + e.orphan_reservations
    return Check(
        "stock conserved, one reservation per order",
        violations,
        "; ".join(problems)
        or f"{len(e.reservations)} reservations, {sum(paid_items.values())} items held by "
        f"{len(paid)} paid orders; mismatched {mismatched}, missing {missing}, "
        f"without an order {e.orphan_reservations}",
    )


def effects_once(e: Evidence) -> Check:
    per_order = Counter(
        (p.order_id, p.event_type)
        for p in e.topics.events.values()
        if p.order_id in e.orders and p.event_type in ONCE_PER_ORDER
    )
    twice = sum(count > 1 for count in per_order.values())
    return Check(
        "no double reservation, shipment or payment (events)",
        twice,
        f"{sum(per_order.values())} effect events for {len(e.orders)} orders; "
        f"{twice} (order, effect) pairs happened twice",
    )


def shipments_and_payments(e: Evidence) -> Check:
    bad = 0
    for order in e.orders.values():
        shipment = e.shipments.get(order.order_id)
        payment = e.payments.get(order.order_id)
        if order.status == Status.PAID:
            bad += shipment != "created" or payment != ("completed", order.total_cents)
        elif order.status == Status.CANCELLED:
            bad += shipment != "cancelled" or payment is None or payment[0] != "declined"
        else:
            bad += shipment is not None or payment is not None
    return Check(
        "shipments and payments match each order's outcome",
        bad,
        f"{len(e.shipments)} shipments, {len(e.payments)} payments; {bad} orders mismatched",
    )


def balances(e: Evidence) -> Check:
    bad = 0
    charged = 0
    for order in e.orders.values():
        balance = e.balances.get(order.index)
        if e.planned[order.index].path is Path.DECLINED:
            bad += balance != 0
        elif order.status == Status.PAID:
            bad += balance != e.default_balance_cents - order.total_cents
            charged += order.total_cents
        else:
            bad += balance is not None
    return Check(
        "balances add up", bad, f"{charged} cents charged in all; {bad} users' balances off"
    )


def outbox_empty(e: Evidence) -> Check:
    return Check("outboxes empty", e.outbox_rows, f"{e.outbox_rows} rows left")


def inbox_explained(e: Evidence) -> Check:
    published = e.topics.events
    unexplained = sum(event_id not in published for ids in e.inbox.values() for event_id in ids)
    missing = 0
    for consumer, (_, handled) in CONSUMERS.items():
        missing += sum(
            p.order_id in e.orders
            and p.event_type in handled
            and p.event_id not in e.inbox[consumer]
            for p in published.values()
        )
    return Check(
        "inboxes hold every event handled, and nothing else",
        unexplained + missing,
        f"{sum(map(len, e.inbox.values()))} inbox rows; {e.topics.copies} records published "
        f"twice (absorbed); unexplained {unexplained}, missing {missing}",
    )


def no_dead_letters(e: Evidence) -> Check:
    count = e.topics.dead_letters
    return Check("dead-letter topic empty", count, f"{count} dead letters")


RULES: tuple[Callable[[Evidence], Check], ...] = (
    placed,
    one_terminal,
    forward_only,
    stock_conserved,
    effects_once,
    shipments_and_payments,
    balances,
    outbox_empty,
    inbox_explained,
    no_dead_letters,
)


def check_all(e: Evidence) -> list[Check]:
    return [rule(e) for rule in RULES]
