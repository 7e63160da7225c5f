"""What a service process needs before it starts, and waiting for it politely.

A service started before (or beside) the stack finds Postgres, Kafka or the
registry not there yet. Rather than sit silent in a pool's wait for minutes
and then fail with a traceback, ``wait_for`` probes each in turn, logs one
line per failed attempt saying what it waits for and why, backs off from
half a second to five, and at the deadline raises ``DependencyUnavailable``,
which the CLI prints as one line. A dependency that refuses our credentials
will not change its mind by the deadline: its probe raises
``DependencyRefused`` at once, also one line.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx
import psycopg
from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient
from psycopg.conninfo import conninfo_to_dict

from orderflow.access import QUIET, KafkaAccess, RegistryAccess

log = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 2.0
FIRST_DELAY_S = 0.5
LONGEST_DELAY_S = 5.0

Probe = Callable[[], str | None]
"""Looks once: None when the dependency answers, else why not, in a few words."""


@dataclass(frozen=True)
class Dependency:
    what: str
    """How the log lines and the error name it: ``Postgres at 127.0.0.1:54320``."""
    probe: Probe


class DependencyUnavailable(Exception):
    """A dependency did not answer within the start-up timeout."""

    def __init__(self, what: str, after_s: float, reason: str) -> None:
        self.what = what
        self.after_s = after_s
        self.reason = reason
        super().__init__(f"{what} not reachable after {after_s:.0f} s: {reason}")


class DependencyRefused(DependencyUnavailable):
    """A dependency answered and refused who we are: a wrong password, an
    untrusted certificate. Raised by a probe on the first attempt."""

    def __init__(self, what: str, reason: str) -> None:
        super().__init__(what, 0.0, reason)
        Exception.__init__(self, f"{what} refused us: {reason}")


def next_delay(attempt: int, elapsed_s: float, timeout_s: float) -> float | None:
    """How long to sleep after failed ``attempt`` (1, 2, …), or None to give up.

    The delay doubles from FIRST_DELAY_S to LONGEST_DELAY_S and never passes the
    deadline, so that the last attempt falls on it.
    """
    remaining = timeout_s - elapsed_s
    if remaining <= 0:
        return None
    return min(FIRST_DELAY_S * 2.0 ** min(attempt - 1, 8), LONGEST_DELAY_S, remaining)


def wait_for(
    dependencies: Sequence[Dependency],
    timeout_s: float,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Return once each dependency, in order, has answered; all share one ``timeout_s``."""
    started = clock()
    for dependency in dependencies:
        attempt = 1
        while (reason := dependency.probe()) is not None:
            log.info("waiting for %s (attempt %d): %s", dependency.what, attempt, reason)
            elapsed = clock() - started
            delay = next_delay(attempt, elapsed, timeout_s)
            if delay is None:
                raise DependencyUnavailable(dependency.what, elapsed, reason)
            sleep(delay)
            attempt += 1
        if attempt > 1:
            log.info("%s answered (attempt %d)", dependency.what, attempt)


def postgres(dsn: str) -> Dependency:
    """Postgres answers when ``dsn`` logs in: the role and the database exist too."""
    params = conninfo_to_dict(dsn)
    where = f"Postgres at {params.get('host', 'localhost')}:{params.get('port', 5432)}"

    def probe() -> str | None:
        try:
            psycopg.connect(dsn, connect_timeout=int(PROBE_TIMEOUT_S)).close()
        except psycopg.OperationalError as error:
            reason = _short(_LIBPQ_PREFIX.sub("", str(error)), type(error).__name__)
            # A role that does not exist yet will, once the migrations ran; a
            # password that is wrong stays wrong.
            if "password authentication failed" in reason:
                raise DependencyRefused(where, reason) from None
            return reason
        return None

    return Dependency(where, probe)


# librdkafka's codes for "the broker answered, and refused who we are".
_REFUSED = frozenset({KafkaError._AUTHENTICATION, KafkaError._SSL})


def kafka(access: KafkaAccess, timeout_s: float = PROBE_TIMEOUT_S) -> Dependency:
    where = f"Kafka at {access.bootstrap}"

    def probe() -> str | None:
        # An authentication failure reaches only the error callback; the call
        # itself just times out.
        said: list[KafkaError] = []
        admin = AdminClient(access.config(QUIET, {"error_cb": said.append}))
        try:
            admin.list_topics(timeout=timeout_s)
        except KafkaException as error:
            # The callback runs from poll: serve what the failed call left queued.
            admin.poll(0)
            refused = [e for e in said if e.code() in _REFUSED]
            if refused:
                raise DependencyRefused(where, refused[-1].str()) from None
            # "Failed to get metadata: Local: Broker transport failure": the last part says why.
            return _short(error.args[0].str().rpartition(": ")[2], "no answer")
        return None

    return Dependency(where, probe)


def registry(access: RegistryAccess) -> Dependency:
    where = f"the schema registry at {access.url}"

    def probe() -> str | None:
        try:
            answer = httpx.get(
                f"{access.url}/subjects",
                timeout=PROBE_TIMEOUT_S,
                auth=access.auth,
                verify=access.verify,
            )
        except httpx.HTTPError as error:
            return _short(_ERRNO.sub("", str(error)), type(error).__name__)
        if answer.status_code in (401, 403):
            raise DependencyRefused(where, f"HTTP {answer.status_code} {_message(answer)}")
        return None if answer.status_code == 200 else f"HTTP {answer.status_code}"

    return Dependency(where, probe)


def _message(answer: httpx.Response) -> str:
    """The registry's own words, from its JSON error body (Confluent's shape and ours)."""
    try:
        body = answer.json()
    except ValueError:
        return answer.text[:200]
    return str(body.get("message", "")) if isinstance(body, dict) else answer.text[:200]


# libpq's 'connection failed: connection to server at "h", port p failed: FATAL:  why'.
_LIBPQ_PREFIX = re.compile(r"^connection failed: connection to server at .*? failed: (FATAL:\s+)?")
_ERRNO = re.compile(r"^\[Errno -?\d+\] ")


def _short(text: str, fallback: str) -> str:
    """The first line, lower-cased as a clause ("Connection refused", not "SSL")."""
    lines = text.strip().splitlines()
    line = lines[0].strip() if lines else ""
    if not line:
        return fallback
    return line[0].lower() + line[1:] if line[1:2].islower() else line
