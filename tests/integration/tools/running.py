"""Running the tools and examples as a user does: subprocesses against the test stack."""

from __future__ import annotations

import os
import pty
import queue
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from orderflow.settings import Settings

ROOT = Path(__file__).resolve().parents[3]
PYTHON = sys.executable
ORDERFLOW = str(Path(sys.executable).parent / "orderflow")
TIMEOUT_S = 60.0


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def environment(settings: Settings, **extra: str) -> dict[str, str]:
    # Unbuffered, so that a line printed is a line we can read at once.
    return {**os.environ, **settings.as_env(), "PYTHONUNBUFFERED": "1", **extra}


def run(
    settings: Settings, *command: str, stdin: str | None = None, **extra_env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(command), input=stdin, capture_output=True, text=True, cwd=ROOT,
        env=environment(settings, **extra_env), timeout=TIMEOUT_S, check=False,
    )  # fmt: skip


def orderflow(
    settings: Settings, *args: str, stdin: str | None = None, **extra_env: str
) -> subprocess.CompletedProcess[str]:
    return run(settings, ORDERFLOW, *args, stdin=stdin, **extra_env)


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr}"
    return done.stdout


class Background:
    """A long-running program (a consumer) whose output lines we wait on, with deadlines."""

    def __init__(self, settings: Settings, *command: str) -> None:
        self.process = subprocess.Popen(
            list(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            cwd=ROOT, env=environment(settings), start_new_session=True,
        )  # fmt: skip
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for_lines(self, count: int, timeout_s: float = TIMEOUT_S) -> list[str]:
        """The first ``count`` lines, or fail at the deadline showing what came."""
        deadline = time.monotonic() + timeout_s
        while len(self.lines) < count:
            remaining = deadline - time.monotonic()
            try:
                line = self._queue.get(timeout=max(remaining, 0.01))
            except queue.Empty:
                raise AssertionError(f"got {self.lines} within {timeout_s} s") from None
            if line is None:
                raise AssertionError(f"exited with only {self.lines}: {self.stderr()}")
            self.lines.append(line)
        return self.lines[:count]

    def interrupt(self, timeout_s: float = TIMEOUT_S) -> int:
        """Ctrl-C, as a user stops it; the exit code."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=timeout_s)

    def stderr(self) -> str:
        if self.process.poll() is None or self.process.stderr is None:
            return ""
        return self.process.stderr.read()

    def stop(self) -> None:
        """Kill it if still running, and close its pipes once the reader is done."""
        if self.process.poll() is None:
            # Its own session: this reaches what it started, and nothing of ours.
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=TIMEOUT_S)
        self._reader.join(timeout=TIMEOUT_S)
        for pipe in (self.process.stdout, self.process.stderr):
            if pipe is not None:
                pipe.close()


def orderflow_on_a_terminal(
    settings: Settings, *args: str, typed: str
) -> subprocess.CompletedProcess[str]:
    """`orderflow` with a terminal on stdin, as a user at a prompt, who types ``typed``."""
    terminal, its_side = pty.openpty()
    try:
        process = subprocess.Popen(
            [ORDERFLOW, *args], stdin=its_side, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, cwd=ROOT, env=environment(settings),
        )  # fmt: skip
    finally:
        os.close(its_side)  # the child has its own
    try:
        # The terminal keeps the line until the prompt reads it.
        os.write(terminal, typed.encode())
        stdout, stderr = process.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    finally:
        os.close(terminal)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
