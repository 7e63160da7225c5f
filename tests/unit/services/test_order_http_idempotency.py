"""POST /order with an Idempotency-Key: a retry answers the order placed, never a second."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from orderflow.services.order.idempotency import fingerprint

from .order_fakes import FakeOrders, serving

ORDER = {"userId": "123", "items": ["item1", "item2"]}


@pytest.fixture
def orders() -> FakeOrders:
    return FakeOrders()


@pytest.fixture
def client(orders: FakeOrders) -> Iterator[TestClient]:
    with serving(orders) as test_client:
        yield test_client


def keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


def test_a_retry_with_the_key_answers_the_same_order_and_places_none(
    client: TestClient, orders: FakeOrders
) -> None:
    first = client.post("/order", json=ORDER, headers=keyed("k-1"))
    retry = client.post("/order", json=ORDER, headers=keyed("k-1"))

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert retry.headers["location"] == first.headers["location"]
    assert retry.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert list(orders.placed) == [first.json()["orderId"]]


def test_the_store_is_given_the_key_and_the_orders_fingerprint(
    client: TestClient, orders: FakeOrders
) -> None:
    client.post("/order", json=ORDER, headers=keyed("k-1"))

    (claim,) = orders.claims
    assert claim is not None
    assert claim.key == "k-1"
    assert claim.fingerprint == fingerprint("123", ["item1", "item2"])


def test_a_retry_written_differently_is_the_same_request(client: TestClient) -> None:
    first = client.post("/order", json=ORDER, headers=keyed("k-1"))
    retry = client.post(
        "/order",
        content=b'{ "items" : ["item1","item2"],\n "userId":"123" }',
        headers={**keyed("k-1"), "content-type": "application/json"},
    )

    assert retry.status_code == 201
    assert retry.json() == first.json()


def test_the_key_with_other_items_is_a_422_naming_the_header(
    client: TestClient, orders: FakeOrders
) -> None:
    client.post("/order", json=ORDER, headers=keyed("k-1"))

    response = client.post(
        "/order", json={"userId": "123", "items": ["item2", "item1"]}, headers=keyed("k-1")
    )

    assert response.status_code == 422
    assert response.json()["error"] == "idempotency_key_reused"
    assert response.json()["field"] == "Idempotency-Key"
    assert "'k-1'" in response.json()["message"]
    assert len(orders.placed) == 1


def test_a_key_is_scoped_to_its_user(client: TestClient, orders: FakeOrders) -> None:
    mine = client.post("/order", json=ORDER, headers=keyed("k-1"))
    theirs = client.post("/order", json={**ORDER, "userId": "456"}, headers=keyed("k-1"))

    assert theirs.status_code == 201
    assert theirs.json() != mine.json()
    assert len(orders.placed) == 2


def test_other_keys_place_other_orders(client: TestClient, orders: FakeOrders) -> None:
    one = client.post("/order", json=ORDER, headers=keyed("k-1"))
    two = client.post("/order", json=ORDER, headers=keyed("k-2"))

    assert one.json() != two.json()
    assert len(orders.placed) == 2


def test_a_key_sent_as_the_drafts_quoted_string_is_the_bare_key(client: TestClient) -> None:
    bare = client.post("/order", json=ORDER, headers=keyed('say "hi" \\o/'))
    quoted = client.post("/order", json=ORDER, headers=keyed('"say \\"hi\\" \\\\o/"'))

    assert quoted.status_code == 201
    assert quoted.json() == bare.json()
    assert quoted.headers["idempotent-replayed"] == "true"


def test_the_longest_key_is_kept_whole(client: TestClient, orders: FakeOrders) -> None:
    response = client.post("/order", json=ORDER, headers=keyed("k" * 255))

    assert response.status_code == 201
    (claim,) = orders.claims
    assert claim is not None
    assert claim.key == "k" * 255


@pytest.mark.parametrize(
    "key",
    [b"", b"k" * 256, b'""', b'"unterminated', b'"bad \\n escape"', b"caf\xe9", b"tab\there"],
    ids=["empty", "too long", "empty quoted", "unterminated", "bad escape", "latin-1", "tab"],
)
def test_a_malformed_key_is_a_400_naming_the_header(
    client: TestClient, orders: FakeOrders, key: bytes
) -> None:
    response = client.post("/order", json=ORDER, headers={b"Idempotency-Key": key})

    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"
    assert response.json()["field"] == "Idempotency-Key"
    assert response.json()["message"].startswith("Idempotency-Key: ")
    assert orders.placed == {}


def test_a_refused_order_records_no_key(client: TestClient, orders: FakeOrders) -> None:
    refused = client.post("/order", json={"userId": "123", "items": ["nope"]}, headers=keyed("k"))
    placed = client.post("/order", json=ORDER, headers=keyed("k"))

    assert refused.status_code == 422
    assert refused.json()["field"] == "items[0]"
    assert placed.status_code == 201
    assert "idempotent-replayed" not in placed.headers
