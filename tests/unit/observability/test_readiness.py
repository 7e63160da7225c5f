"""verdict, Readiness.report (the probes side by side) and Assignment (the rebalance callbacks)."""

from __future__ import annotations

import threading

import pytest
from confluent_kafka import TopicPartition

from orderflow.observability.readiness import Assignment, Check, Readiness, verdict


def test_verdict_is_ready_when_every_check_passed() -> None:
    ready, body = verdict("order", {"database": None, "kafka": None})

    assert ready is True
    assert body == {"service": "order", "ready": True, "checks": {"database": "ok", "kafka": "ok"}}


def test_verdict_names_the_reason_of_each_failing_check() -> None:
    ready, body = verdict(
        "payment", {"database": None, "kafka": "broker down", "consumer": "no partitions"}
    )

    assert ready is False
    assert body == {
        "service": "payment",
        "ready": False,
        "checks": {"database": "ok", "kafka": "broker down", "consumer": "no partitions"},
    }


def test_report_runs_every_probe_even_after_one_failed() -> None:
    ran: list[str] = []
    lock = threading.Lock()

    def probe(name: str, reason: str | None) -> Check:
        def look() -> str | None:
            with lock:
                ran.append(name)
            return reason

        return Check(name, look)

    readiness = Readiness(
        "inventory",
        [probe("database", "connection refused"), probe("kafka", None), probe("registry", None)],
    )

    ready, body = readiness.report()

    assert sorted(ran) == ["database", "kafka", "registry"]
    assert ready is False
    assert body["checks"] == {"database": "connection refused", "kafka": "ok", "registry": "ok"}


def test_report_runs_the_probes_side_by_side() -> None:
    # Each probe waits for the other two: run one after another, the barrier breaks.
    barrier = threading.Barrier(3, timeout=10)

    def look() -> str | None:
        barrier.wait()
        return None

    readiness = Readiness("shipping", [Check(name, look) for name in ("a", "b", "c")])

    assert readiness.report() == (
        True,
        {"service": "shipping", "ready": True, "checks": {"a": "ok", "b": "ok", "c": "ok"}},
    )


def test_report_with_no_checks_is_not_ready() -> None:
    ready, body = Readiness("status", []).report()

    assert ready is False
    assert body == {"service": "status", "ready": False, "checks": {"starting": "no checks yet"}}


# Assignment


def partitions(topic: str, *numbers: int) -> list[TopicPartition]:
    return [TopicPartition(topic, n) for n in numbers]


def test_a_new_assignment_holds_nothing_and_says_so_naming_the_group() -> None:
    assignment = Assignment("payment-service")

    assert assignment.held == 0
    reason = assignment.probe()
    assert reason is not None
    assert "payment-service" in reason


def test_assigned_partitions_are_held_and_the_probe_passes() -> None:
    assignment = Assignment("g")

    assignment.assigned(None, partitions("OrderEventsTopic", 0, 1))
    assignment.assigned(None, partitions("PaymentEventsTopic", 0))

    assert assignment.held == 3
    assert assignment.probe() is None


def test_an_empty_assignment_is_a_member_standing_by_and_ready() -> None:
    # One replica more than partitions: it joined, and got none.
    assignment = Assignment("g")

    assignment.assigned(None, [])

    assert assignment.held == 0
    assert assignment.probe() is None


def test_an_assignment_of_a_partition_already_held_counts_it_once() -> None:
    assignment = Assignment("g")

    assignment.assigned(None, partitions("OrderEventsTopic", 0, 1))
    assignment.assigned(None, partitions("OrderEventsTopic", 1))

    assert assignment.held == 2


def test_revoked_partitions_are_no_longer_held() -> None:
    assignment = Assignment("g")
    assignment.assigned(None, partitions("OrderEventsTopic", 0, 1, 2))

    assignment.revoked(None, partitions("OrderEventsTopic", 0, 2))
    assert assignment.held == 1
    assert assignment.probe() is None

    # Still a member, holding nothing: the others have the partitions now.
    assignment.revoked(None, partitions("OrderEventsTopic", 1))
    assert assignment.held == 0
    assert assignment.probe() is None


def test_revoking_a_partition_not_held_changes_nothing() -> None:
    assignment = Assignment("g")
    assignment.assigned(None, partitions("OrderEventsTopic", 0))

    assignment.revoked(None, partitions("OrderEventsTopic", 5))
    assignment.revoked(None, partitions("PaymentEventsTopic", 0))

    assert assignment.held == 1


def test_lost_partitions_leave_nothing_held_whatever_the_list_says() -> None:
    assignment = Assignment("g")
    assignment.assigned(None, partitions("OrderEventsTopic", 0, 1))

    assignment.lost(None, partitions("OrderEventsTopic", 0))

    assert assignment.held == 0
    assert assignment.probe() is not None


@pytest.mark.parametrize("callback", ["revoked", "lost"])
def test_partitions_assigned_again_after_they_went_are_held(callback: str) -> None:
    assignment = Assignment("g")
    assignment.assigned(None, partitions("t", 0))
    getattr(assignment, callback)(None, partitions("t", 0))

    assignment.assigned(None, partitions("t", 0))

    assert assignment.held == 1


def test_the_assignment_probe_in_a_readiness_report() -> None:
    assignment = Assignment("order-status")
    readiness = Readiness("status", [Check("consumer", assignment.probe)])
    assert readiness.report()[0] is False

    assignment.assigned(None, partitions("OrderEventsTopic", 0))

    assert readiness.report() == (
        True,
        {"service": "status", "ready": True, "checks": {"consumer": "ok"}},
    )
