"""A thin async client of Prometheus's HTTP API: instant and range queries, nothing more.

A value Prometheus gives as ``NaN`` (``histogram_quantile`` over a window with no
observations) or ``±Inf`` is no number to show: such samples and points are left
out, so a quantile of an idle service reads as unknown, and the JSON sent on stays
JSON (it has no NaN).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import httpx


class PrometheusUnavailable(Exception):
    """Prometheus did not answer, or answered with an error: why, in a few words."""


@dataclass(frozen=True)
class Sample:
    """One series of an instant query's answer."""

    labels: dict[str, str]
    value: float


@dataclass(frozen=True)
class Series:
    """One series of a range query's answer: (Unix seconds, value) points, oldest first."""

    labels: dict[str, str]
    points: list[tuple[float, float]]


class Prometheus:
    """Queries to the Prometheus at ``url`` (stack/prometheus.py ``url``) over ``client``,
    whose timeout bounds each one: the caller decides how long is too long."""

    def __init__(self, client: httpx.AsyncClient, url: str) -> None:
        self._client = client
        self._url = url.rstrip("/")

    async def query(self, promql: str) -> list[Sample]:
        result = await self._get("/api/v1/query", {"query": promql})
        return [
            Sample(dict(item["metric"]), value)
            for item in result
            if (value := _number(item["value"][1])) is not None
        ]

    async def query_range(
        self, promql: str, start_s: float, end_s: float, step_s: float
    ) -> list[Series]:
        result = await self._get(
            "/api/v1/query_range",
            {"query": promql, "start": str(start_s), "end": str(end_s), "step": str(step_s)},
        )
        return [
            Series(
                dict(item["metric"]),
                [
                    (float(t), value)
                    for t, text in item["values"]
                    if (value := _number(text)) is not None
                ],
            )
            for item in result
        ]

    async def _get(self, path: str, params: dict[str, str]) -> list[dict[str, Any]]:
        try:
            answer = await self._client.get(self._url + path, params=params)
            body = answer.json()
        except httpx.HTTPError as error:
            raise PrometheusUnavailable(f"Prometheus does not answer: {error!r}") from error
        except ValueError as error:  # not JSON: something else listens on its port
            raise PrometheusUnavailable(
                f"Prometheus answered {answer.status_code}, not JSON"
            ) from error
        if body.get("status") != "success":
            raise PrometheusUnavailable(f"Prometheus refused the query: {body.get('error')}")
        result: list[dict[str, Any]] = body["data"]["result"]
        return result


def _number(text: str) -> float | None:
    value = float(text)
    return value if math.isfinite(value) else None
