"""Waiting for Postgres, Kafka and the registry: the back-off, the lines, the probes' reasons."""

from __future__ import annotations

import http.server
import json
import logging
import socket
import struct
import threading
from collections.abc import Iterator

import pytest

from orderflow.access import KafkaAccess, RegistryAccess
from orderflow.failures import Failure, explain
from orderflow.messaging.dependencies import (
    Dependency,
    DependencyRefused,
    DependencyUnavailable,
    kafka,
    next_delay,
    postgres,
    registry,
    wait_for,
)
from orderflow.stack.ports import free_ports


def test_the_delay_doubles_from_half_a_second_to_five() -> None:
    delays = [next_delay(attempt, 0.0, 60.0) for attempt in range(1, 8)]

    assert delays == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0, 5.0]
    assert next_delay(10_000, 0.0, 60.0) == 5.0


def test_the_last_attempt_falls_on_the_deadline_then_it_gives_up() -> None:
    assert next_delay(4, 9.0, 10.0) == 1.0
    assert next_delay(4, 10.0, 10.0) is None
    assert next_delay(1, 12.0, 10.0) is None


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def refusing(reason: str, times: int = -1) -> Dependency:
    """A dependency that fails ``times`` probes (every one if negative) with ``reason``."""
    left = [times]

    def probe() -> str | None:
        if left[0] == 0:
            return None
        left[0] -= 1
        return reason

    return Dependency(f"Thing at {reason}", probe)


def messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "orderflow.messaging.dependencies"]


def test_one_line_per_failed_attempt_then_one_error_at_the_deadline(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock()
    caplog.set_level(logging.INFO)

    with pytest.raises(DependencyUnavailable) as raised:
        wait_for([refusing("connection refused")], 4.0, clock=clock, sleep=clock.sleep)

    assert clock.slept == [0.5, 1.0, 2.0, 0.5]
    assert messages(caplog) == [
        f"waiting for Thing at connection refused (attempt {n}): connection refused"
        for n in range(1, 6)
    ]
    assert str(raised.value) == (
        "Thing at connection refused not reachable after 4 s: connection refused"
    )


def test_a_dependency_that_comes_says_so_once(caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    caplog.set_level(logging.INFO)

    wait_for([refusing("not yet", times=2)], 60.0, clock=clock, sleep=clock.sleep)

    assert messages(caplog)[-1] == "Thing at not yet answered (attempt 3)"
    assert len(messages(caplog)) == 3


def test_one_that_is_there_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    caplog.set_level(logging.INFO)

    wait_for([refusing("x", times=0)], 60.0, clock=clock, sleep=clock.sleep)

    assert messages(caplog) == []
    assert clock.slept == []


def test_the_dependencies_share_one_timeout() -> None:
    clock = FakeClock()
    first, second = refusing("first", times=3), refusing("second")

    with pytest.raises(DependencyUnavailable) as raised:
        wait_for([first, second], 10.0, clock=clock, sleep=clock.sleep)

    # 3.5 s on the first; the second gets the 6.5 s left, not ten of its own.
    assert raised.value.what == "Thing at second"
    assert raised.value.after_s == 10.0


def test_the_cli_prints_it_as_one_line_and_exits_1() -> None:
    error = DependencyUnavailable("Postgres at 127.0.0.1:1", 30.0, "connection refused")

    assert explain(error) == Failure(
        "Postgres at 127.0.0.1:1 not reachable after 30 s: connection refused", 1
    )


# The probes against ports where nothing listens, or something that is not the server.


@pytest.fixture
def closed_port() -> int:
    (port,) = free_ports(1)
    return port


def test_postgres_where_nothing_listens(closed_port: int) -> None:
    dependency = postgres(f"host=127.0.0.1 port={closed_port} dbname=orderflow user=someone")

    assert dependency.what == f"Postgres at 127.0.0.1:{closed_port}"
    assert dependency.probe() == "connection refused"


def _serve_once(answer: bytes) -> Iterator[int]:
    """A listener that answers Postgres's SSL/GSS requests with "no", then ``answer``."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            while True:
                (length,) = struct.unpack("!I", connection.recv(4, socket.MSG_WAITALL))
                (code,) = struct.unpack("!I", connection.recv(length - 4, socket.MSG_WAITALL)[:4])
                if code in (80877103, 80877104):  # SSLRequest, GSSENCRequest
                    connection.sendall(b"N")
                    continue
                connection.sendall(answer)
                return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        thread.join(timeout=5)
        listener.close()


@pytest.fixture
def postgres_without_the_role() -> Iterator[int]:
    """Answers the start-up message as Postgres does before the migrations made the role."""
    fields = b'SFATAL\0C28000\0Mrole "someone" does not exist\0\0'
    yield from _serve_once(b"E" + struct.pack("!I", 4 + len(fields)) + fields)


def test_postgres_names_the_missing_role(postgres_without_the_role: int) -> None:
    dsn = f"host=127.0.0.1 port={postgres_without_the_role} dbname=orderflow user=someone"

    assert postgres(dsn).probe() == 'role "someone" does not exist'


def test_kafka_where_nothing_listens(closed_port: int, capfd: pytest.CaptureFixture[str]) -> None:
    dependency = kafka(KafkaAccess(f"127.0.0.1:{closed_port}"), timeout_s=0.5)

    assert dependency.what == f"Kafka at 127.0.0.1:{closed_port}"
    assert dependency.probe() == "broker transport failure"
    assert capfd.readouterr().err == ""  # librdkafka kept its own lines to itself


def test_the_registry_where_nothing_listens(closed_port: int) -> None:
    dependency = registry(RegistryAccess(f"http://127.0.0.1:{closed_port}"))

    assert dependency.what == f"the schema registry at http://127.0.0.1:{closed_port}"
    assert dependency.probe() == "connection refused"


# Refusals: the dependency answered, and will not take who we are by any deadline.


@pytest.fixture
def postgres_refusing_the_password() -> Iterator[int]:
    """Answers the start-up message as Postgres does a wrong password (trust aside)."""
    fields = b'SFATAL\0C28P01\0Mpassword authentication failed for user "someone"\0\0'
    yield from _serve_once(b"E" + struct.pack("!I", 4 + len(fields)) + fields)


def test_postgres_refusing_the_password_is_raised_at_once(
    postgres_refusing_the_password: int,
) -> None:
    port = postgres_refusing_the_password
    dsn = f"host=127.0.0.1 port={port} dbname=orderflow user=someone password=wrong"
    clock = FakeClock()

    with pytest.raises(DependencyRefused) as raised:
        wait_for([postgres(dsn)], 60.0, clock=clock, sleep=clock.sleep)

    refusal = 'password authentication failed for user "someone"'
    assert str(raised.value) == f"Postgres at 127.0.0.1:{port} refused us: {refusal}"
    assert clock.slept == []  # no second attempt


@pytest.fixture
def registry_asking_for_credentials() -> Iterator[str]:
    body = json.dumps({"error_code": 401, "message": "Unauthorized"}).encode()

    class Refusing(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(401)
            self.send_header("Content-Type", "application/vnd.schemaregistry.v1+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Refusing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_registry_refusing_the_credentials_says_so_in_its_words(
    registry_asking_for_credentials: str,
) -> None:
    url = registry_asking_for_credentials
    dependency = registry(RegistryAccess(url, "shop", "wrong"))

    with pytest.raises(DependencyRefused) as raised:
        dependency.probe()

    assert str(raised.value) == f"the schema registry at {url} refused us: HTTP 401 Unauthorized"


def test_a_refusal_is_one_line_too() -> None:
    error = DependencyRefused("Kafka at b:9093", "SASL authentication error: wrong")

    assert explain(error) == Failure(
        "Kafka at b:9093 refused us: SASL authentication error: wrong", 1
    )
