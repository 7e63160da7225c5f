"""Throughput and latency of the schema registry's three hot calls.

register (POST /subjects/{s}/versions, a new schema each time, so every call
writes to Kafka and waits to read it back), lookup (POST /subjects/{s}, what
a serializer with auto.register.schemas=false does) and get-by-id
(GET /schemas/ids/{id}, what every deserializer does once per id).

    python bench/registry_bench.py --url http://127.0.0.1:8081
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

HEADERS = {"Content-Type": "application/vnd.schemaregistry.v1+json"}


@dataclass(frozen=True)
class Result:
    name: str
    requests: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def schema(run: str, n: int) -> str:
    fields = [{"name": "orderId", "type": "string"}, {"name": "n", "type": "int", "default": n}]
    return json.dumps({"type": "record", "name": f"Bench{run}", "fields": fields})


# (method, path, JSON body)
Call = tuple[str, str, dict[str, str] | None]


def measure(name: str, calls: list[Call], url: str, workers: int) -> Result:
    clients = [httpx.Client(base_url=url, headers=HEADERS, timeout=30) for _ in range(workers)]
    latencies: list[float] = []

    def work(worker: int) -> None:
        client = clients[worker]
        for method, path, body in calls[worker::workers]:
            started = time.perf_counter()
            expect(client.request(method, path, json=body))
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(work, range(workers)))
    elapsed = time.perf_counter() - started
    for client in clients:
        client.close()
    return Result(name, len(calls), elapsed, latencies)


def expect(response: httpx.Response) -> None:
    if response.status_code != 200:
        raise SystemExit(f"{response.request.url}: {response.status_code} {response.text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--url", default="http://127.0.0.1:8081")
    parser.add_argument("--registers", type=int, default=500)
    parser.add_argument("--reads", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()

    run = uuid.uuid4().hex[:8]
    subject = f"bench-{run}-value"
    with httpx.Client(base_url=args.url, headers=HEADERS) as http:
        # Every new schema is a new version of one subject; NONE keeps the check
        # out of the way so we measure the write path, not Avro resolution.
        expect(http.put(f"/config/{subject}", json={"compatibility": "NONE"}))

    register: list[Call] = [
        ("POST", f"/subjects/{subject}/versions", {"schema": schema(run, n)})
        for n in range(args.registers)
    ]
    results = [measure("register (new schema)", register, args.url, args.workers)]

    with httpx.Client(base_url=args.url) as http:
        ids = [int(http.get(f"/subjects/{subject}/versions/{v}").json()["id"]) for v in (1, 2, 3)]
    lookup: list[Call] = [("POST", f"/subjects/{subject}", {"schema": schema(run, 0)})] * args.reads
    results.append(measure("lookup (POST /subjects/{s})", lookup, args.url, args.workers))
    get: list[Call] = [("GET", f"/schemas/ids/{ids[n % 3]}", None) for n in range(args.reads)]
    results.append(measure("get by id", get, args.url, args.workers))

    print(
        f"machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; {args.workers} client threads "
        f"on the same machine; load average {os.getloadavg()[0]:.1f} at the end"
    )
    print(f"{'call':30} {'requests':>9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for r in results:
        print(
            f"{r.name:30} {r.requests:>9} {r.rps:>9.0f} "
            f"{statistics.median(r.latencies_ms):>8.2f} {r.percentile(99):>8.2f}"
        )


if __name__ == "__main__":
    main()
