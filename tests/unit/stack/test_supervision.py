"""The supervisor's decisions: the backoff, what counts as a loop, how an exit reads."""

from __future__ import annotations

from orderflow.stack.supervision import (
    Backoff,
    Restart,
    describe_exit,
    quick_deaths,
    restart_delay,
    restarting_in_a_loop,
)

POLICY = Backoff(first_s=0.5, ceiling_s=30.0, settled_after_s=30.0)


def test_quick_deaths_count_up_and_a_settled_one_starts_afresh() -> None:
    assert quick_deaths(0, 2.0, POLICY) == 1
    assert quick_deaths(3, 2.0, POLICY) == 4
    assert quick_deaths(3, 31.0, POLICY) == 0


def test_the_wait_doubles_with_each_quick_death_up_to_the_ceiling() -> None:
    waits = [restart_delay(streak, POLICY) for streak in range(9)]
    assert waits == [0.5, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]


def test_three_restarts_within_two_minutes_are_a_loop() -> None:
    close = [Restart(at, 1, 1.0) for at in (100.0, 150.0, 200.0)]
    spread = [Restart(at, 1, 1.0) for at in (0.0, 150.0, 200.0)]
    assert restarting_in_a_loop(close, now=210.0)
    assert not restarting_in_a_loop(spread, now=210.0)
    assert not restarting_in_a_loop(close[:2], now=210.0)


def test_an_exit_reads_as_words() -> None:
    assert describe_exit(1) == "exit code 1"
    assert describe_exit(-9) == "killed by SIGKILL"
    assert describe_exit(None).startswith("exit code unknown")
