"""One contract for both SchemaLog adapters: the in-memory fake and the Kafka topic."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from orderflow.access import KafkaAccess
from orderflow.registry.kafka_log import KafkaLog
from orderflow.registry.log import MemoryLog, SchemaLog
from orderflow.registry.records import (
    ConfigRecord,
    DeleteSubjectRecord,
    ModeRecord,
    Record,
    SchemaRecord,
    SchemaTombstone,
)
from orderflow.registry.store import Store

pytestmark = pytest.mark.stack

# Opens a log over the test's storage; opening twice is a restart.
Opener = Callable[[], SchemaLog]


@pytest.fixture(params=["memory", "kafka"])
def open_log(request: pytest.FixtureRequest, kafka_bootstrap: str, topic: str) -> Opener:
    if request.param == "memory":
        shared: list[Any] = []
        return lambda: MemoryLog(shared)
    return lambda: KafkaLog(Store(), KafkaAccess(kafka_bootstrap), topic)


def run(body: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(body())


RECORDS: list[Record] = [
    SchemaRecord("a", 1, 1, '"int"'),
    SchemaRecord("a", 2, 2, '"long"'),
    SchemaRecord("b", 1, 1, '"int"'),
    ConfigRecord("a", "FULL"),
    ModeRecord(None, "READONLY"),
    SchemaRecord("c", 1, 3, '"string"'),
    DeleteSubjectRecord("c", 1),
    SchemaTombstone("c", 1),
]


def test_appended_records_are_in_the_store_when_append_returns(open_log: Opener) -> None:
    async def body() -> None:
        log = open_log()
        await log.start()
        try:
            assert await log.append(RECORDS) == [True] * len(RECORDS)
            assert log.store.subjects() == ["a", "b"]
            assert log.store.entry("a", 2).id == 2
            assert [e.subject for e in log.store.uses(1)] == ["a", "b"]
        finally:
            await log.stop()

    run(body)


def test_a_conflicting_record_is_reported_refused(open_log: Opener) -> None:
    async def body() -> None:
        log = open_log()
        await log.start()
        try:
            assert await log.append([SchemaRecord("a", 1, 1, '"int"')]) == [True]
            outcome = await log.append(
                [SchemaRecord("b", 1, 1, '"long"'), SchemaRecord("b", 1, 2, '"long"')]
            )
            assert outcome == [False, True]
            assert log.store.schema(1).text == '"int"'
        finally:
            await log.stop()

    run(body)


def test_reopening_rebuilds_the_same_state(open_log: Opener) -> None:
    def state(store: Store) -> Any:
        return (
            store.subjects(deleted=True),
            [
                (e.subject, e.version, e.id, e.deleted)
                for s in store.subjects()
                for e in store.entries(s)
            ],
            store.level("a"),
            store.mode("a"),
            store.max_id,
        )

    async def body() -> None:
        first = open_log()
        await first.start()
        await first.append(RECORDS)
        before = state(first.store)
        await first.stop()
        second = open_log()
        await second.start()
        try:
            assert state(second.store) == before
        finally:
            await second.stop()

    run(body)
