"""The Prometheus client against a fake of Prometheus's HTTP API (httpx.MockTransport)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import httpx
import pytest

from orderflow.dashboard.prometheus import Prometheus, PrometheusUnavailable, Sample, Series

T = TypeVar("T")
URL = "http://prometheus.test:9090"


def run(test: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(asyncio.wait_for(test, timeout=5))


def on(answer: Callable[[httpx.Request], httpx.Response]) -> Callable[[], Prometheus]:
    def client() -> Prometheus:
        return Prometheus(httpx.AsyncClient(transport=httpx.MockTransport(answer)), URL)

    return client


def vector(*results: dict[str, Any]) -> httpx.Response:
    return httpx.Response(
        200, json={"status": "success", "data": {"resultType": "vector", "result": results}}
    )


def test_an_instant_query_gives_each_series_labels_and_value_and_leaves_out_nan() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return vector(
            {"metric": {"group": "inventory-service"}, "value": [1764780000.0, "12.5"]},
            {"metric": {"group": "payment-service"}, "value": [1764780000.0, "NaN"]},
            {"metric": {"group": "shipping-service"}, "value": [1764780000.0, "+Inf"]},
        )

    found = run(on(answer)().query("sum by (group) (orderflow_consumer_lag)"))

    assert found == [Sample({"group": "inventory-service"}, 12.5)]
    assert seen[0].url.path == "/api/v1/query"
    assert seen[0].url.params["query"] == "sum by (group) (orderflow_consumer_lag)"


def test_a_range_query_gives_each_series_points_without_nan() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        values = [[1764780000, "1.5"], [1764780005, "NaN"], [1764780010, "2"]]
        result = [{"metric": {}, "values": values}]
        return httpx.Response(
            200, json={"status": "success", "data": {"resultType": "matrix", "result": result}}
        )

    found = run(on(answer)().query_range("up", 1764780000, 1764780010, 5))

    assert found == [Series({}, [(1764780000.0, 1.5), (1764780010.0, 2.0)])]
    params = seen[0].url.params
    assert seen[0].url.path == "/api/v1/query_range"
    assert (params["start"], params["end"], params["step"]) == ("1764780000", "1764780010", "5")


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (httpx.Response(400, json={"status": "error", "error": "parse error"}), "parse error"),
        (httpx.Response(502, text="<html>bad gateway</html>"), "not JSON"),
    ],
)
def test_an_error_answer_is_prometheus_unavailable_saying_why(
    answer: httpx.Response, says: str
) -> None:
    with pytest.raises(PrometheusUnavailable, match=says):
        run(on(lambda _request: answer)().query("up"))


def test_no_answer_is_prometheus_unavailable() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(PrometheusUnavailable, match="does not answer"):
        run(on(refuse)().query("up"))
