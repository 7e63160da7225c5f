"""Two registry apps in one process answer their first requests at the same moment.

FastAPI builds a route's parameters on the first request it matches, silencing a
pydantic warning with warnings.catch_warnings(), which is not thread-safe. Under
pytest's "error" filter the other thread's build saw the warning as an exception
and answered 500 (pyproject.toml ignores that one warning).
"""

from __future__ import annotations

import json
import threading
from contextlib import ExitStack

from fastapi.testclient import TestClient

from orderflow.registry.app import create_app
from orderflow.registry.log import MemoryLog
from orderflow.settings import Settings

ROUNDS = 20
SCHEMA = json.dumps({"type": "string"})


def first_registrations_at_once() -> list[int]:
    with ExitStack() as stack:
        clients = [
            stack.enter_context(TestClient(create_app(Settings(), MemoryLog()))) for _ in range(2)
        ]
        start_together = threading.Barrier(len(clients))
        statuses: list[int] = []

        def register(client: TestClient) -> None:
            start_together.wait()
            response = client.post("/subjects/s/versions", json={"schema": SCHEMA})
            statuses.append(response.status_code)

        threads = [threading.Thread(target=register, args=(c,)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return statuses


def test_two_apps_answering_their_first_requests_together_both_succeed() -> None:
    for _ in range(ROUNDS):
        assert first_registrations_at_once() == [200, 200]
