"""An order's hops: consecutive statuses in time order, each with its milliseconds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from orderflow.dashboard.hops import Hop, Passed, history_of, hops

T0 = datetime(2026, 12, 3, 16, 40, tzinfo=UTC)


def at(ms: float) -> datetime:
    return T0 + timedelta(milliseconds=ms)


def test_each_status_to_the_next() -> None:
    history = [
        Passed("Order Created", at(0)),
        Passed("Inventory Confirmed", at(14.2)),
        Passed("Shipped", at(30)),
        Passed("Paid", at(1030.05)),
    ]

    assert hops(history) == [
        Hop("Order Created", "Inventory Confirmed", 14.2),
        Hop("Inventory Confirmed", "Shipped", 15.8),
        Hop("Shipped", "Paid", 1000.1),
    ]


def test_the_history_is_put_in_time_order_first() -> None:
    """Statuses come from four topics with no order between them."""
    history = [Passed("Paid", at(50)), Passed("Order Created", at(0)), Passed("Shipped", at(20))]

    assert [(h.earlier, h.later) for h in hops(history)] == [
        ("Order Created", "Shipped"),
        ("Shipped", "Paid"),
    ]
    assert all(h.ms >= 0 for h in hops(history))


@pytest.mark.parametrize("count", [0, 1])
def test_fewer_than_two_statuses_have_no_hop(count: int) -> None:
    assert hops([Passed("Order Created", at(0))][:count]) == []


def test_two_statuses_stamped_alike_keep_their_order() -> None:
    history = [Passed("Payment Failed", at(5)), Passed("Cancelled", at(5))]

    assert hops(history) == [Hop("Payment Failed", "Cancelled", 0.0)]


def test_a_hop_is_the_api_s_json() -> None:
    assert Hop("Order Created", "Inventory Failed", 3.5).document() == {
        "from": "Order Created",
        "to": "Inventory Failed",
        "ms": 3.5,
    }


def test_the_order_service_s_history_is_read_with_its_times() -> None:
    entries = [
        {"status": "Order Created", "at": "2026-12-03T16:40:00Z"},
        {"status": "Inventory Failed", "at": "2026-12-03T16:40:00.012+00:00"},
    ]

    assert [h.document() for h in hops(history_of(entries))] == [
        {"from": "Order Created", "to": "Inventory Failed", "ms": 12.0}
    ]


@pytest.mark.parametrize(
    "entries",
    [
        None,
        {"status": "Paid"},
        [{"at": "2026-12-03T16:40:00Z"}],
        [{"status": "Paid", "at": "soon"}],
    ],
)
def test_a_history_not_as_the_order_service_writes_it_is_refused(entries: object) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        history_of(entries)
