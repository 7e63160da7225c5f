"""The original project's curl calls, sent verbatim (method, headers, body) with httpx."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.stack

CONTENT_TYPE = {"Content-Type": "application/vnd.schemaregistry.v1+json"}
# The body exactly as the original's shell script passes it to curl --data.
ORDER_SCHEMA_BODY = (
    '{"schema": "{\\"type\\":\\"record\\",\\"name\\":\\"Order\\",\\"fields\\":['
    '{\\"name\\":\\"orderId\\",\\"type\\":\\"string\\"},'
    '{\\"name\\":\\"userId\\",\\"type\\":\\"string\\"},'
    '{\\"name\\":\\"items\\",\\"type\\":{\\"type\\":\\"array\\",\\"items\\":\\"string\\"}}]}"}'
)


def test_register_list_and_fetch_like_the_original(registry_url: str) -> None:
    with httpx.Client(base_url=registry_url) as curl:
        registered = curl.post(
            "/subjects/OrderEventTopic-value/versions",
            content=ORDER_SCHEMA_BODY,
            headers=CONTENT_TYPE,
        )
        assert registered.status_code == 200
        schema_id = registered.json()["id"]

        assert "OrderEventTopic-value" in curl.get("/subjects").json()
        assert curl.get("/subjects/OrderEventTopic-value/versions").json() == [1]
        version = curl.get("/subjects/OrderEventTopic-value/versions/1").json()
        assert (version["id"], version["version"]) == (schema_id, 1)
        latest = curl.get("/subjects/OrderEventTopic-value/versions/latest").json()
        assert latest["id"] == schema_id

        by_id = curl.get(f"/schemas/ids/{schema_id}")
        assert by_id.status_code == 200
        assert '"name":"Order"' in by_id.json()["schema"]

        again = curl.post(
            "/subjects/OrderEventTopic-value/versions",
            content=ORDER_SCHEMA_BODY,
            headers=CONTENT_TYPE,
        )
        assert again.json() == {"id": schema_id}
