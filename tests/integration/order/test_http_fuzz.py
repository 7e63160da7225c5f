"""Fuzzing the OrderService's HTTP API from its own OpenAPI document (schemathesis).

The app runs in process, as ``orderflow run order`` builds it, on the real
Postgres, registry and Kafka of the session stack; schemathesis starts its
lifespan once. Every operation gets valid and invalid requests (wrong types,
missing fields, odd strings, bad parameters); whatever comes in, the answer
is never a 5xx, and every error is a JSON body naming the problem.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import JsonValue
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.python import asgi

from orderflow.messaging.runtime import front_checks
from orderflow.messaging.startup import start_up
from orderflow.observability.readiness import Readiness
from orderflow.services.order.catalogue import PRICES_CENTS
from orderflow.services.order.server import build_app
from orderflow.services.order.service import ORDER
from orderflow.settings import Settings

pytestmark = pytest.mark.stack

# Per operation and generation mode (valid and invalid requests): four
# operations, seven combinations, so about 7 x EXAMPLES requests in all.
EXAMPLES = 150


@pytest.fixture(scope="module")
def order_api(stack: Settings) -> Iterator[schemathesis.BaseSchema]:
    codec = start_up(stack)
    readiness = Readiness(ORDER.name, front_checks(ORDER, stack))
    app = build_app(ORDER, stack, codec, readiness)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    try:
        yield schema
    finally:
        # Stops the notices' listener and closes the pool before the stack goes down.
        asgi.shutdown_lifespans()


OPERATIONS = [
    "POST /order",
    "GET /order/status",
    "GET /orders/{orderId}",
    "GET /orders/{orderId}/events",
]

POSITIVE, NEGATIVE = schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE
# GET /orders/{orderId} has one parameter, a path string: every string is valid
# there, so it has no invalid requests to generate.
CASES = [
    (label, mode)
    for label in OPERATIONS
    for mode in (POSITIVE, NEGATIVE)
    if (label, mode) != ("GET /orders/{orderId}", NEGATIVE)
]


def test_every_operation_is_fuzzed(order_api: schemathesis.BaseSchema) -> None:
    found = set()
    for result in order_api.get_all_operations():
        assert isinstance(result, Ok), result  # an operation schemathesis cannot read
        found.add(result.ok().label)
    assert found == set(OPERATIONS)


# schemathesis's negative mode draws from `random` inside a strategy, which
# hypothesis deprecates; a warning about the fuzzer, not about the app.
@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")
@pytest.mark.parametrize(("label", "mode"), CASES)
def test_no_server_errors_and_every_error_names_the_problem(
    order_api: schemathesis.BaseSchema, label: str, mode: schemathesis.GenerationMode
) -> None:
    operation = order_api.find_operation_by_label(label)
    assert operation is not None

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answers_clearly(case: schemathesis.Case[Any]) -> None:
        if case.path.endswith("/events"):
            # A found order is followed for ``timeout`` seconds; keep that short.
            case.query = {**(case.query or {}), "timeout": 0.1}
        response = case.call()

        case.validate_response(response, checks=[not_a_server_error])
        if response.status_code >= 400:
            body = response.json()
            assert set(body) == {"error", "message", "field"}, body
            assert body["error"]
            assert body["message"]

    answers_clearly()


HOSTILE = [
    "'); DROP TABLE orders.orders; --",
    "item1'; DELETE FROM inventory.stock; --",
    "\\'; TRUNCATE orders.status_history CASCADE; --",
    "%s%s%(x)s{}",
]
# What psycopg or Avro cannot encode (found by this test as 500s, now 422s), and
# the longest user id allowed and one past it.
NASTY = [*HOSTILE, "a\x00b", "\ud800", "u" * 200, "u" * 201, " ", ""]


def test_orders_with_any_text_are_stored_verbatim_or_refused(
    order_api: schemathesis.BaseSchema, stack: Settings
) -> None:
    """The fuzzer's random item ids are refused before Postgres; these orders get there:
    real item ids, any user id (SQL, NUL, lone surrogates, very long), and SQL as items."""
    place = order_api.find_operation_by_label("POST /order")
    read = order_api.find_operation_by_label("GET /orders/{orderId}")
    assert place is not None
    assert read is not None
    real = st.lists(st.sampled_from(list(PRICES_CENTS)), min_size=1, max_size=110)
    mixed = st.lists(st.sampled_from([*PRICES_CENTS, *HOSTILE]), min_size=1, max_size=4)

    @given(
        user_id=st.one_of(st.sampled_from(NASTY), st.text(st.characters(codec=None), max_size=250)),
        items=st.one_of(real, mixed),
    )
    @settings(max_examples=EXAMPLES, deadline=None, database=None)
    def stored_verbatim(user_id: str, items: list[str]) -> None:
        body: dict[str, JsonValue] = {"userId": user_id, "items": list(items)}
        response = place.Case(body=body, media_type="application/json").call()

        assert response.status_code in (201, 422), response.text
        if response.status_code == 201:
            order_id = response.json()["orderId"]
            found = read.Case(path_parameters={"orderId": order_id}).call().json()
            assert (found["userId"], found["items"]) == (user_id, items)
        else:
            assert response.json()["field"], response.text

    stored_verbatim()
    # Nothing the hostile text said was executed.
    tables = query_tables(stack)
    assert {"orders.orders", "orders.status_history", "inventory.stock"} <= tables


def query_tables(settings: Settings) -> set[str]:
    with psycopg.connect(settings.postgres_dsn) as conn:
        rows = conn.execute(
            "SELECT schemaname || '.' || tablename FROM pg_tables"
            " WHERE schemaname IN ('orders', 'inventory')"
        ).fetchall()
    return {row[0] for row in rows}
