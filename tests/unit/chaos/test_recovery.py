"""Recovery from the completion times alone: a steady flow, a stall, a flow too thin."""

from __future__ import annotations

from orderflow.chaos.recovery import longest_gap_s, recovery_s


def steady(start: float, end: float, rate: float) -> list[float]:
    count = round((end - start) * rate)
    return [start + index / rate for index in range(count)]


def test_a_flow_that_never_stopped_recovers_at_the_next_completion() -> None:
    times = steady(0.0, 60.0, 10.0)
    assert recovery_s(times, 20.05, 10.0, until=60.0) is not None
    assert recovery_s(times, 20.05, 10.0, until=60.0) < 0.1  # type: ignore[operator]


def test_a_stall_recovers_when_the_flow_starts_again() -> None:
    times = steady(0.0, 20.0, 10.0) + steady(32.0, 60.0, 10.0)
    assert recovery_s(times, 20.0, 10.0, until=60.0) == 12.0


def test_a_flow_below_the_share_of_the_rate_is_not_recovered() -> None:
    thin = steady(20.0, 60.0, 7.0)  # 70% of 10/s, below the 80% asked
    assert recovery_s(thin, 20.0, 10.0, until=60.0) is None


def test_no_answer_until_a_whole_window_has_closed() -> None:
    times = steady(20.0, 60.0, 10.0)
    assert recovery_s(times, 20.0, 10.0, until=24.0) is None
    assert recovery_s(times, 20.0, 10.0, until=25.5) == 0.0


def test_the_gap_is_the_longest_stretch_without_a_completion() -> None:
    completions = [9.0, 10.5, 11.0, 17.0, 17.5, 30.0]

    assert longest_gap_s(completions, 10.0, 20.0) == 6.0
    # From the fault's start to the first completion, and from the last to the end.
    assert longest_gap_s([18.0], 10.0, 20.0) == 8.0
    assert longest_gap_s([11.0], 10.0, 20.0) == 9.0
    assert longest_gap_s([], 10.0, 20.0) == 10.0
