"""The chaos run's tables and last line, and the two checks over the faults, from hand-made
faults."""

from __future__ import annotations

from rich.table import Table

from orderflow.bench.records import Placement
from orderflow.chaos.faults import Fault, Hit, How, Kind, PlannedFault
from orderflow.chaos.report import checks_table, components_table, kinds_table, summary_line
from orderflow.chaos.run import Outcome, fault_checks
from orderflow.chaos.verdict import Check

KILL_KAFKA = PlannedFault(Kind.KILL, (Hit("kafka", How.KILL),))
KILL_ORDER = PlannedFault(Kind.KILL, (Hit("order", How.KILL),))
FREEZE_KAFKA = PlannedFault(Kind.FREEZE, (Hit("kafka", How.FREEZE, held_s=5.0),))
OVERLAP = PlannedFault(
    Kind.OVERLAP, (Hit("order", How.KILL), Hit("postgres", How.FREEZE, held_s=2.0, after_s=1.0))
)
ALL_DOWN = PlannedFault(Kind.ALL_DOWN, ())


def came_back(
    planned: PlannedFault, back_s: float, recovery_s: float | None, gap_s: float | None = None
) -> Fault:
    return Fault(planned, 1000.0, back_at=1000.0 + back_s, recovery_s=recovery_s, gap_s=gap_s)


def never_back(planned: PlannedFault, error: str = "not running after 120 s") -> Fault:
    return Fault(planned, 1000.0, None, None, error)


def rows(table: Table) -> list[tuple[str, ...]]:
    columns = [[str(cell) for cell in column.cells] for column in table.columns]
    return list(zip(*columns, strict=True))


def headers(table: Table) -> list[str]:
    return [str(column.header) for column in table.columns]


def test_kinds_shows_each_kind_met_in_order_then_all() -> None:
    faults = [
        came_back(FREEZE_KAFKA, 10.0, 2.0, gap_s=6.0),
        came_back(KILL_KAFKA, 4.0, 1.0, gap_s=2.0),
        came_back(KILL_ORDER, 6.0, 3.0, gap_s=1.0),
        came_back(KILL_ORDER, 20.0, 5.0, gap_s=3.0),
    ]
    table = kinds_table(faults, bound_s=30.0)
    assert table.title == "Faults by kind (recovery bound 30 s)"
    assert headers(table) == [
        "kind",
        "faults",
        "back s (median / max)",
        "recovery s (median / max)",
        "gap s (median / max)",
    ]
    assert rows(table) == [
        ("kill", "3", "6.0 / 20.0", "3.0 / 5.0", "2.0 / 3.0"),
        ("freeze", "1", "10.0 / 10.0", "2.0 / 2.0", "6.0 / 6.0"),
        ("all", "4", "8.0 / 20.0", "2.5 / 5.0", "2.5 / 6.0"),
    ]


def test_kinds_counts_a_fault_never_back_as_never() -> None:
    faults = [came_back(KILL_KAFKA, 4.0, 1.0), never_back(KILL_ORDER), never_back(ALL_DOWN)]
    assert rows(kinds_table(faults, bound_s=30.0)) == [
        ("kill", "2", "4.0 / 4.0 (1 never)", "1.0 / 1.0 (1 never)", "-"),
        ("all-down", "1", "-", "-", "-"),
        ("all", "3", "4.0 / 4.0 (2 never)", "1.0 / 1.0 (2 never)", "-"),
    ]


def test_kinds_counts_a_comeback_without_recovery_as_never() -> None:
    faults = [came_back(OVERLAP, 8.0, None), came_back(OVERLAP, 2.0, 4.0)]
    assert rows(kinds_table(faults, bound_s=30.0))[0] == (
        "overlap",
        "2",
        "5.0 / 8.0",
        "4.0 / 4.0 (1 never)",
        "-",
    )


def test_kinds_of_no_fault_is_one_empty_all_row() -> None:
    assert rows(kinds_table([], bound_s=45.5)) == [("all", "0", "-", "-", "-")]
    assert kinds_table([], bound_s=45.5).title == "Faults by kind (recovery bound 45.5 s)"


def test_components_counts_kills_and_freezes_of_each_part_all_down_aside() -> None:
    faults = [
        came_back(KILL_KAFKA, 4.0, 1.0, gap_s=5.0),
        came_back(FREEZE_KAFKA, 9.0, 3.0, gap_s=9.0),
        came_back(KILL_KAFKA, 4.0, 8.0, gap_s=7.0),
        came_back(OVERLAP, 5.0, None),
        came_back(ALL_DOWN, 60.0, 10.0),
        came_back(ALL_DOWN, 60.0, 12.0),
    ]
    table = components_table(faults)
    assert table.title == "Faults by component (besides 2 all-down)"
    assert headers(table) == [
        "component", "kills", "freezes", "recovery s (median / max)", "gap s (median / max)",
    ]  # fmt: skip
    assert rows(table) == [
        ("kafka", "2", "1", "3.0 / 8.0", "7.0 / 9.0"),
        ("order", "1", "0", "-", "-"),
        ("postgres", "0", "1", "-", "-"),
    ]


def test_components_of_only_all_downs_lists_no_part() -> None:
    table = components_table([came_back(ALL_DOWN, 60.0, 10.0)])
    assert table.title == "Faults by component (besides 1 all-down)"
    assert rows(table) == []


def outcome_of(checks: list[Check], faults: list[Fault], placements: list[Placement]) -> Outcome:
    return Outcome(checks, faults, placements, load_s=400.4, drain_s=12.6, recovery_bound_s=30.0)


def placement(index: int, status: int | None) -> Placement:
    order_id = f"order-{index}" if status == 201 else None
    return Placement(index, 0.0, 0.1, status, order_id, None if status else "Timeout")


def test_checks_table_shows_pass_or_the_count_of_violations() -> None:
    outcome = outcome_of(
        [Check("drained", 0, "all closed"), Check("stored once", 3, "3 lost")], [], []
    )
    assert rows(checks_table(outcome)) == [
        ("drained", "[green]pass[/]", "all closed"),
        ("stored once", "[red]FAIL (3)[/]", "3 lost"),
    ]


def test_summary_line_counts_orders_answered_and_says_the_verdict() -> None:
    placements = [placement(0, 201), placement(1, 201), placement(2, 503), placement(3, None)]
    faults = [came_back(KILL_KAFKA, 4.0, 1.0)]
    passed = outcome_of([Check("drained", 0, "")], faults, placements)
    assert summary_line(passed) == (
        "4 orders sent, load and 1 faults over 400 s, 2 answered 201; drained in 13 s; "
        "every check passed"
    )
    failed = outcome_of([Check("drained", 0, ""), Check("lost", 1, "")], faults, placements)
    assert summary_line(failed).endswith("; GUARANTEES VIOLATED")


def test_fault_checks_pass_when_every_fault_came_back_and_recovered_in_time() -> None:
    faults = [came_back(KILL_KAFKA, 4.0, 1.5), came_back(OVERLAP, 7.0, 30.0)]
    back, flowing = fault_checks(faults, bound_s=30.0)
    assert back == Check("every faulted component came back by itself", 0, "2 faults; all back")
    assert flowing == Check(
        "orders flow at the offered rate within 30 s of every comeback",
        0,
        "2 recoveries, the slowest 30.0 s",
    )


def test_fault_checks_name_the_fault_that_never_came_back_and_why() -> None:
    faults = [came_back(KILL_KAFKA, 4.0, 1.5), never_back(KILL_ORDER, "order exited 1")]
    back, flowing = fault_checks(faults, bound_s=30.0)
    assert back.violations == 1
    assert back.detail == "2 faults; kill order: order exited 1"
    # A fault never back is counted by the first check only, not again as slow.
    assert flowing.violations == 0
    assert flowing.detail == "1 recoveries, the slowest 1.5 s"


def test_fault_checks_name_each_recovery_too_slow_or_never_seen() -> None:
    faults = [
        came_back(KILL_KAFKA, 4.0, 30.1),
        came_back(FREEZE_KAFKA, 9.0, None),
        came_back(KILL_ORDER, 2.0, 3.0),
    ]
    back, flowing = fault_checks(faults, bound_s=30.0)
    assert back.passed
    assert flowing.violations == 2
    assert flowing.detail == "kill kafka: 30.1 s; freeze kafka 5 s: never within the wait"


def test_fault_checks_of_no_fault_pass_over_nothing_and_say_so() -> None:
    back, flowing = fault_checks([], bound_s=12.5)
    assert back == Check("every faulted component came back by itself", 0, "0 faults; all back")
    assert flowing.name == "orders flow at the offered rate within 12.5 s of every comeback"
    assert flowing.detail == "0 recoveries, the slowest 0.0 s"
