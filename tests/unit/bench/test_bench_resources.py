"""The sampler's pure part: a component is its process and every descendant."""

from __future__ import annotations

import os

import psutil

from orderflow.bench.resources import descendants, family_usage


def test_descendants_walk_the_whole_tree() -> None:
    children = {1: [2, 3], 2: [4], 4: [5], 9: [10]}

    assert sorted(descendants(1, children)) == [1, 2, 3, 4, 5]
    assert descendants(7, children) == [7]


def test_family_usage_reads_this_process() -> None:
    used = family_usage([psutil.Process(os.getpid())])

    assert used.cpu_s > 0
    assert used.rss_bytes > 0
