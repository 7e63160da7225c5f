"""`orderflow run <service>` with nothing to talk to: it waits politely, then says so once.

Needs no stack (nor the ``stack`` fixture): the ports it is pointed at are
free ones, where nothing listens.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from orderflow.stack.ports import free_ports

TIMEOUT_S = 3


def test_a_service_without_postgres_waits_then_fails_in_one_line() -> None:
    postgres_port, kafka_port, registry_port = free_ports(3)
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ORDERFLOW_")},
        "ORDERFLOW_HOST": "127.0.0.1",
        "ORDERFLOW_POSTGRES_PORT": str(postgres_port),
        "ORDERFLOW_KAFKA_PORT": str(kafka_port),
        "ORDERFLOW_REGISTRY_PORT": str(registry_port),
        "ORDERFLOW_STARTUP_TIMEOUT_S": str(TIMEOUT_S),
        "NO_COLOR": "1",
    }

    done = subprocess.run(
        [sys.executable, "-m", "orderflow", "run", "inventory"],
        capture_output=True, text=True, env=environment, timeout=60, check=False,
    )  # fmt: skip

    output = done.stdout + done.stderr
    lines = output.strip().splitlines()
    assert done.returncode == 1, output
    assert "Traceback" not in output
    postgres = f"Postgres at 127.0.0.1:{postgres_port}"
    waiting = [line for line in lines if f"waiting for {postgres} (attempt " in line]
    assert len(waiting) >= 2, output
    assert all(line.endswith("connection refused") for line in waiting), output
    # About TIMEOUT_S, but a busy machine may round the last attempt up.
    assert re.fullmatch(
        rf"error: {re.escape(postgres)} not reachable after \d+ s: connection refused",
        lines[-1],
    ), output
    assert len(lines) == len(waiting) + 1, output  # nothing else: no librdkafka, no retries
