"""The system under test: the stack (tests/conftest.py) plus the four services."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from orderflow.events.ids import ItemId
from orderflow.services.inventory.stock_admin import set_available
from orderflow.settings import Settings

from .system import SERVICES, System


@pytest.fixture(scope="session")
def system(stack: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    log_dir: Path = tmp_path_factory.mktemp("service-logs")
    running = System(stack, log_dir)
    # Enough stock for every test of the session; item3 stays sold out.
    with psycopg.connect(stack.postgres_dsn) as conn:
        set_available(conn, ItemId("item1"), 100_000)
        set_available(conn, ItemId("item2"), 100_000)
    try:
        for name in SERVICES:
            running.start(name)
        yield running
    finally:
        running.stop_all()


@pytest.fixture
def http(system: System) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=system.base_url, timeout=30) as client:
        yield client
