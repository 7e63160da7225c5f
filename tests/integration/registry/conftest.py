"""Fixtures for the registry against a real Kafka.

``kafka_bootstrap`` is the one seam to the stack: swap its body for the
session stack fixture and nothing else changes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from orderflow.registry.runners import InProcessRegistry
from orderflow.settings import Settings


@pytest.fixture(scope="session")
def kafka_bootstrap(stack: Settings) -> str:
    return stack.kafka_bootstrap


@pytest.fixture
def topic() -> str:
    """A ``_schemas`` topic of the test's own, so runs and tests never collide."""
    return f"_schemas-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def registry_url(kafka_bootstrap: str) -> Iterator[str]:
    with InProcessRegistry(kafka_bootstrap, f"_schemas-{uuid.uuid4().hex[:12]}") as registry:
        yield registry.url


@pytest.fixture
def subject() -> str:
    """A subject no other test uses, since the session shares one registry."""
    return f"test-{uuid.uuid4().hex[:10]}-value"
