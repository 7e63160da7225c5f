"""Starting, finding and stopping the processes of the stack.

A pid file holds the pid and the process's start time. A pid alone is not
enough: after a reboot or a long pause the number may belong to somebody
else's process, and `down` must stop only what `up` started.
"""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psutil

from orderflow.stack.waiting import wait_until

# The children this process started. Held so that they are reaped when they
# end (no zombie, no ResourceWarning); they outlive us if we exit first.
_children: dict[int, subprocess.Popen[bytes]] = {}
# How the children that were reaped ended, by pid, for the supervisor to log.
_exit_codes: dict[int, int] = {}


@dataclass(frozen=True)
class Recorded:
    pid: int
    started_at: float


def spawn(
    command: list[str],
    *,
    log: Path,
    pid_file: Path,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    user: str | None = None,
) -> Recorded:
    log.parent.mkdir(parents=True, exist_ok=True)
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as log_stream:
        # A session of its own, so that Ctrl-C in the user's terminal reaches
        # the launcher alone and the launcher decides how each part stops.
        child = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log_stream,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=cwd,
            user=user,
            start_new_session=True,
        )
    _children[child.pid] = child
    recorded = Recorded(pid=child.pid, started_at=psutil.Process(child.pid).create_time())
    pid_file.write_text(json.dumps({"pid": recorded.pid, "started_at": recorded.started_at}))
    return recorded


def read_pid_file(pid_file: Path) -> Recorded | None:
    try:
        data = json.loads(pid_file.read_text())
        return Recorded(pid=int(data["pid"]), started_at=float(data["started_at"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def live_process(pid_file: Path) -> psutil.Process | None:
    """The recorded process if it still runs (and is the same process)."""
    recorded = read_pid_file(pid_file)
    if recorded is None:
        return None
    try:
        process = psutil.Process(recorded.pid)
        if abs(process.create_time() - recorded.started_at) > 0.01:
            return None
        if process.status() == psutil.STATUS_ZOMBIE:
            _reap(recorded.pid)
            return None
        return process
    except psutil.Error:
        return None


def _reap(pid: int) -> None:
    # Our own child lingers as a zombie until waited for; anybody else's is not ours to reap.
    child = _children.get(pid)
    if child is not None and child.poll() is not None:
        del _children[pid]
        _exit_codes[pid] = child.returncode


def exit_code(pid: int) -> int | None:
    """How our child ``pid`` ended (negative: the signal that ended it), once it has;
    None for a process somebody else started, whose end only its parent hears of."""
    child = _children.get(pid)
    if child is not None:
        return child.poll()
    return _exit_codes.get(pid)


def _kill(members: list[psutil.Process]) -> None:
    for member in members:
        with contextlib.suppress(psutil.NoSuchProcess):
            member.kill()


def stop(
    pid_file: Path, stop_signal: signal.Signals, grace_s: float, *, with_children: bool = True
) -> bool:
    """Stop the recorded process: ``stop_signal``, then SIGKILL after ``grace_s``.

    Returns True if a process was running. ``with_children=False`` leaves the
    processes it started alone: the supervisor's children are the system, which
    outlives it.
    """
    process = live_process(pid_file)
    if process is None:
        pid_file.unlink(missing_ok=True)
        return False
    family = [process, *process.children(recursive=True)] if with_children else [process]
    process.send_signal(stop_signal)
    if not wait_until(lambda: live_process(pid_file) is None, grace_s):
        _kill(family)
        wait_until(lambda: live_process(pid_file) is None, 10)
    # Whatever the process left behind (a forked helper) goes with it.
    _kill(family[1:])
    _reap(process.pid)
    pid_file.unlink(missing_ok=True)
    return True
