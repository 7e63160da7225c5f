"""Percentiles and latency distributions."""

from __future__ import annotations

import pytest

from orderflow.bench.percentiles import distribution, percentile


def test_percentile_interpolates_between_ranks() -> None:
    values = [10.0, 20.0, 30.0, 40.0]
    assert percentile(values, 0) == 10.0
    assert percentile(values, 50) == 25.0
    assert percentile(values, 100) == 40.0
    assert percentile(values, 99) == pytest.approx(39.7)


def test_percentile_of_one_value_is_that_value() -> None:
    assert percentile([7.0], 99) == 7.0


@pytest.mark.parametrize("q", [-1, 101])
def test_percentile_outside_0_to_100_is_refused(q: float) -> None:
    with pytest.raises(ValueError, match="outside"):
        percentile([1.0], q)


def test_percentile_of_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)


def test_distribution_sorts_and_summarises() -> None:
    found = distribution(float(v) for v in reversed(range(1, 101)))
    assert found is not None
    assert (found.count, found.max, found.mean) == (100, 100.0, 50.5)
    assert found.p50 == pytest.approx(50.5)
    assert found.p95 == pytest.approx(95.05)
    assert found.p99 == pytest.approx(99.01)


def test_distribution_of_nothing_is_none() -> None:
    assert distribution([]) is None
