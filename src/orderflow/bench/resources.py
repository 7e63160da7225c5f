"""CPU seconds and resident memory of each component, read from the OS.

Each component is the process in its pid file with all its descendants
(Postgres serves every connection from a child of its postmaster). A thread
samples them, so that a slow ``/proc`` read never delays a scheduled request.
"""

from __future__ import annotations

import os
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

import psutil

from orderflow.settings import Settings
from orderflow.stack.components import everything
from orderflow.stack.layout import StateLayout
from orderflow.stack.processes import live_process
from orderflow.stack.scale import read_scale

# The load generator shares the machine with the system; its share counts too.
BENCH = "bench"
# The whole machine: CPU busy in all processes, and memory in use. On a shared
# machine the gap between it and the components is load the run did not make.
MACHINE = "machine"


class Usage(NamedTuple):
    """CPU seconds used so far and resident memory now, of one component or the machine."""

    cpu_s: float
    rss_bytes: int


@dataclass(frozen=True)
class Sample:
    """Every component's usage at one moment (``at``: seconds since the epoch)."""

    at: float
    usage: dict[str, Usage]


def descendants(root: int, children: dict[int, list[int]]) -> list[int]:
    found, waiting = [], [root]
    while waiting:
        pid = waiting.pop()
        found.append(pid)
        waiting.extend(children.get(pid, ()))
    return found


def family_usage(family: list[psutil.Process]) -> Usage:
    """CPU and RSS of a process and its descendants."""
    cpu_s, rss = 0.0, 0
    for member in family:
        try:
            times = member.cpu_times()
            rss += member.memory_info().rss
        except psutil.Error:
            continue  # a short-lived child that ended between the listing and the read
        # children_*: descendants that ended and were waited for by this member,
        # such as a Postgres backend whose connection closed.
        cpu_s += times.user + times.system + times.children_user + times.children_system
    return Usage(cpu_s, rss)


def machine_usage() -> Usage:
    times = psutil.cpu_times()
    busy = sum(times) - times.idle - getattr(times, "iowait", 0.0)
    return Usage(busy, psutil.virtual_memory().used)


def find_components(settings: Settings) -> dict[str, psutil.Process]:
    """The running components of the system in ``settings``, and this process."""
    layout = StateLayout(settings.state_dir)
    found = {BENCH: psutil.Process(os.getpid())}
    for component in everything(read_scale(layout.scale())):
        process = live_process(layout.pid_file(component.name))
        if process is not None:
            found[component.name] = process
    return found


class Sampler:
    def __init__(self, roots: dict[str, psutil.Process], interval_s: float = 1.0) -> None:
        self._roots = roots
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-sampler", daemon=True)
        self.samples: list[Sample] = []

    def sample(self) -> Sample:
        # One pass over the process table per sample for every component, instead
        # of psutil's children() scanning it once per component: the sampler holds
        # the GIL of the load generator it runs in while it reads.
        processes = {p.pid: p for p in psutil.process_iter(["ppid"])}
        children: dict[int, list[int]] = defaultdict(list)
        for pid, process in processes.items():
            children[process.info["ppid"]].append(pid)
        usage = {}
        for name, root in self._roots.items():
            if root.pid not in processes or not root.is_running():
                continue  # the component has stopped
            family = [processes[pid] for pid in descendants(root.pid, children)]
            usage[name] = family_usage(family)
        usage[MACHINE] = machine_usage()
        return Sample(time.time(), usage)

    def _run(self) -> None:
        while True:
            self.samples.append(self.sample())
            if self._stop.wait(self._interval_s):
                break
        self.samples.append(self.sample())

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
