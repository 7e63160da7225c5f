"""BatchHistogram serves what prometheus-client's Histogram would for the same values."""

from __future__ import annotations

import pytest
from prometheus_client import CollectorRegistry, Histogram, generate_latest

from orderflow.observability.batch_histogram import BatchHistogram

BUCKETS = (0.01, 0.1, 1.0)
# Below, on and between the bounds, and past the last: every bucket, +Inf too.
VALUES = [0.0, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 2.0, 30.0]


def exposition(fill_ours: bool) -> str:
    registry = CollectorRegistry()
    labels = ["topic"]
    if fill_ours:
        ours = BatchHistogram("x_seconds", "Doc.", labels, BUCKETS, registry=registry)
        ours.labels("a").observe_all(VALUES)
        ours.labels("b").observe(0.05, times=3)
    else:
        theirs = Histogram("x_seconds", "Doc.", labels, buckets=BUCKETS, registry=registry)
        for value in VALUES:
            theirs.labels("a").observe(value)
        for _ in range(3):
            theirs.labels("b").observe(0.05)
    text = generate_latest(registry).decode()
    # The library's own histogram has a _created sample per series, when enabled.
    return "\n".join(line for line in text.splitlines() if "_created" not in line)


def test_it_serves_the_samples_of_a_histogram_fed_the_same_values() -> None:
    assert exposition(fill_ours=True) == exposition(fill_ours=False)


def test_a_value_on_a_bound_counts_in_that_bound_s_bucket() -> None:
    registry = CollectorRegistry()
    ours = BatchHistogram("y_seconds", "Doc.", ["service"], BUCKETS, registry=registry)
    ours.labels("s").observe(0.1, times=2)

    def bucket(le: str) -> float | None:
        return registry.get_sample_value("y_seconds_bucket", {"service": "s", "le": le})

    assert (bucket("0.01"), bucket("0.1"), bucket("1.0"), bucket("+Inf")) == (0, 2, 2, 2)
    assert registry.get_sample_value("y_seconds_count", {"service": "s"}) == 2
    assert registry.get_sample_value("y_seconds_sum", {"service": "s"}) == pytest.approx(0.2)


def test_buckets_out_of_order_and_labels_of_the_wrong_count_are_refused() -> None:
    registry = CollectorRegistry()
    with pytest.raises(ValueError, match="increasing"):
        BatchHistogram("z_seconds", "Doc.", ["a"], (1.0, 0.5), registry=registry)
    ours = BatchHistogram("w_seconds", "Doc.", ["a", "b"], BUCKETS, registry=registry)
    with pytest.raises(ValueError, match="labels"):
        ours.labels("only-one")
