"""A made-up run, to build reports from without a server."""

from __future__ import annotations

from orderflow.bench.records import Followed, Placement, Seen
from orderflow.bench.report import Run
from orderflow.bench.resources import Sample, Usage

T0 = 1_800_000_000.0
MIB = 2**20
PATH = ("Order Created", "Inventory Confirmed", "Shipped", "Paid")


def paid(order_id: str, due: float, step: float) -> Followed:
    """An order whose events came ``step`` seconds apart, each visible 5 ms later."""
    history = {
        status: Seen(due + (n + 1) * step, due + (n + 1) * step + 0.005)
        for n, status in enumerate(PATH)
    }
    return Followed(order_id, history, "Paid")


def made_up_run(*, step: float = 0.01, cpu_per_s: float = 0.5) -> Run:
    """Ten orders due 0.1 s apart: eight paid, one never finished, one refused."""
    placements, finished = [], {}
    for index in range(10):
        due = T0 + index * 0.1
        if index == 9:
            placements.append(Placement(index, due, due + 0.002, 503, None, "HTTP 503"))
            continue
        order_id = f"order-{index}"
        placements.append(Placement(index, due, due + 0.002, 201, order_id, None))
        if index != 8:
            finished[order_id] = paid(order_id, due, step)
    samples = [
        Sample(
            T0 + s,
            # The machine was busy with two cores' worth of work: others made the rest.
            {"order": Usage(cpu_per_s * s, (100 + s) * MIB), "machine": Usage(2.0 * s, 4 * MIB)},
        )
        for s in range(5)
    ]
    return Run(
        mode="open",
        options={"rate": 10.0, "duration": 1.0},
        machine={
            "cores": 2,
            "cpu_model": "Test CPU",
            "memory_gib": 4.0,
            "platform": "Linux",
            "python": "3.11",
        },
        started_at=T0,
        duration_s=1.0,
        placements=placements,
        finished=finished,
        samples=samples,
        two_terminal=0,
    )
