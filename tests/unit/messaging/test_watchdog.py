"""The watchdog that ends a process whose consumer stays out of its group."""

from __future__ import annotations

import json
from collections.abc import Callable

from orderflow.messaging.watchdog import JoinWatch, group_watchdog, join_state


def stats(state: str) -> str:
    return json.dumps({"name": "c", "cgrp": {"state": "up", "join_state": state}})


def test_away_counts_from_the_first_reading_out_of_steady_and_reports_at_the_limit() -> None:
    watch = JoinWatch(limit_s=60.0)
    assert watch.seen("steady", 0.0) is None
    assert watch.seen("wait-join", 5.0) is None
    assert watch.seen("wait-sync", 64.0) is None  # 59 s away
    assert watch.seen("wait-join", 65.0) == 60.0


def test_rejoining_starts_the_count_again() -> None:
    watch = JoinWatch(limit_s=60.0)
    watch.seen("wait-join", 0.0)
    assert watch.seen("steady", 50.0) is None
    assert watch.seen("init", 55.0) is None
    assert watch.seen("init", 110.0) is None  # 55 s since it left again
    assert watch.seen("init", 115.0) == 60.0


def test_the_join_state_is_read_from_librdkafka_statistics() -> None:
    assert join_state(stats("wait-assign-call")) == "wait-assign-call"
    # A producer's statistics, or a garbled document, have none.
    assert join_state(json.dumps({"name": "p", "type": "producer"})) is None
    assert join_state("{not json") is None


def watched(clock: list[float]) -> tuple[Callable[[str], None], list[bool]]:
    ended: list[bool] = []
    config = group_watchdog("shipping-service", 60.0, lambda: clock[0], lambda: ended.append(True))
    on_stats = config["stats_cb"]
    assert callable(on_stats)
    assert config["statistics.interval.ms"] == 5_000
    return on_stats, ended


def test_a_consumer_out_of_its_group_past_the_limit_ends_the_process() -> None:
    clock = [100.0]
    on_stats, ended = watched(clock)
    for now, state in ((100.0, "steady"), (110.0, "wait-join"), (160.0, "wait-join")):
        clock[0] = now
        on_stats(stats(state))
    assert ended == []
    clock[0] = 170.0
    on_stats(stats("wait-join"))
    assert ended == [True]


def test_a_consumer_that_rejoins_in_time_lives_on() -> None:
    clock = [0.0]
    on_stats, ended = watched(clock)
    for now, state in ((0.0, "wait-join"), (40.0, "steady"), (90.0, "wait-join"), (140.0, "init")):
        clock[0] = now
        on_stats(stats(state))
    assert ended == []
