"""Running a registry beside other code: in a thread, or as its own process.

For tests, benchmarks and the e2e suite, which need a registry on a free port
against a topic of their own. ``orderflow registry`` itself uses server.serve.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import httpx
import uvicorn

from orderflow.registry.app import create_app
from orderflow.settings import Settings


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout_s}s waiting for {what}")
        time.sleep(0.05)


def settings_for(bootstrap: str, topic: str, port: int = 8081) -> Settings:
    return Settings(kafka_bootstrap_servers=bootstrap, registry_port=port, registry_topic=topic)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class InProcessRegistry:
    """The registry app under uvicorn in a daemon thread, on a port of its own."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        # Binding here and handing uvicorn the socket leaves no window for
        # another process to take the port between choosing and listening.
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        app = create_app(settings_for(bootstrap, topic))
        config = uvicorn.Config(app, ws="none", lifespan="on", log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def __enter__(self) -> InProcessRegistry:
        self._thread.start()
        wait_until(
            lambda: self._server.started or not self._thread.is_alive(), 60, "registry start"
        )
        if not self._server.started:
            raise RuntimeError("the registry failed to start; its log says why")
        return self

    def __exit__(self, *_: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)
        self._socket.close()


class RegistryProcess:
    """``python -m orderflow.registry``, as the stack launcher runs it."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self._env = {**os.environ, **settings_for(bootstrap, topic, port).as_env()}
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "orderflow.registry"],
            env=self._env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._ready, 60, f"registry process at {self.url}")

    def _ready(self) -> bool:
        assert self._process is not None
        if self._process.poll() is not None:
            raise RuntimeError(f"the registry exited with {self._process.returncode}")
        try:
            return httpx.get(f"{self.url}/", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash."""
        assert self._process is not None
        self._process.kill()
        self._process.wait(timeout=30)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=30)
