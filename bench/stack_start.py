"""Start-up time and memory of the local stack, as medians of several runs.

Cold: a fresh state folder (initdb, KRaft format, Connect's topics, the
connector registered from scratch), JVM artifacts already cached. Warm:
`up` again on the state the cold start left. Runs on free ports beside any
stack the user has up.

    python bench/stack_start.py --runs 3
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import time

from orderflow.stack.isolated import isolated_settings, open_state_dir
from orderflow.stack.launcher import Launcher


def timed_up(launcher: Launcher) -> float:
    started = time.monotonic()
    launcher.up()
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs

    cold: list[float] = []
    warm: list[float] = []
    rss: dict[str, list[float]] = {}
    for _ in range(runs):
        state_dir = open_state_dir()
        launcher = Launcher(isolated_settings(state_dir))
        try:
            cold.append(timed_up(launcher))
            launcher.down()
            warm.append(timed_up(launcher))
            for row in launcher.status():
                rss.setdefault(row.name, []).append((row.rss_bytes or 0) / 2**20)
        finally:
            launcher.down()
            shutil.rmtree(state_dir, ignore_errors=True)

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {runs} runs, medians")
    print(f"cold start (artifacts cached): {statistics.median(cold):.1f} s  (runs: {cold})")
    print(f"warm start:                    {statistics.median(warm):.1f} s  (runs: {warm})")
    for name, values in rss.items():
        print(f"RSS after start, {name:9}: {statistics.median(values):.0f} MiB")


if __name__ == "__main__":
    main()
