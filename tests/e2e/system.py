"""The four services as child processes on a running stack, and ways to wait on them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import httpx

from orderflow.services import SERVICES as DECLARED
from orderflow.settings import Settings

SERVICES = tuple(service.name for service in DECLARED)

T = TypeVar("T")


def wait_for(
    what: str, probe: Callable[[], T | None], timeout_s: float = 60.0, every_s: float = 0.05
) -> T:
    """Poll ``probe`` until it returns something other than None, or fail naming ``what``."""
    deadline = time.monotonic() + timeout_s
    while True:
        found = probe()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")
        time.sleep(every_s)


class System:
    def __init__(self, settings: Settings, log_dir: Path) -> None:
        self.settings = settings
        self.base_url = f"http://{settings.host}:{settings.order_port}"
        self._log_dir = log_dir
        self._processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str) -> None:
        env = {**os.environ, **self.settings.as_env()}
        with (self._log_dir / f"{name}.log").open("ab") as log:
            self._processes[name] = subprocess.Popen(
                [sys.executable, "-m", "orderflow", "run", name],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        if name == "order":
            wait_for("the OrderService to answer", self._answers)

    def _answers(self) -> bool | None:
        process = self._processes["order"]
        if process.poll() is not None:
            raise AssertionError(f"OrderService exited with {process.returncode}; see its log")
        try:
            return httpx.get(f"{self.base_url}/order/status", timeout=1).status_code == 400 or None
        except httpx.TransportError:
            return None

    def stop(self, name: str, sig: signal.Signals = signal.SIGTERM) -> int:
        process = self._processes.pop(name)
        process.send_signal(sig)
        return process.wait(timeout=60)

    def restart(self, name: str, sig: signal.Signals = signal.SIGTERM) -> None:
        self.stop(name, sig)
        self.start(name)

    def stop_all(self) -> None:
        for name in list(self._processes):
            self.stop(name)

    def log(self, name: str) -> str:
        return (self._log_dir / f"{name}.log").read_text(errors="replace")
