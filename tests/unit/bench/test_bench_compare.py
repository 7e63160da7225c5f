"""``orderflow bench --compare``: figures side by side with B / A."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from orderflow.bench import compare, output, report
from orderflow.cli import app

from .runs import made_up_run


def test_rows_pair_each_figure_of_a_and_b() -> None:
    a = report.build(made_up_run(step=0.01, cpu_per_s=0.5))
    b = report.build(made_up_run(step=0.02, cpu_per_s=1.0))

    rows = {name: (x, y) for name, x, y in compare.rows(a, b)}

    assert rows["completed orders/s"][0] == rows["completed orders/s"][1]
    assert rows["Shipped → Paid p50 ms"] == pytest.approx((10.0, 20.0), abs=0.01)
    assert rows["order CPU s"] == (2.0, 4.0)
    assert rows["errors"] == (1, 1)


def test_ratio_is_b_over_a() -> None:
    assert compare.ratio(10.0, 25.0) == "2.50x"
    assert compare.ratio(0.0, 5.0) == "-"
    assert compare.ratio(None, 5.0) == "-"


def test_render_lines_up_both_columns_and_the_ratio() -> None:
    text = compare.render("before", "after", [("p50 ms", 40.0, 20.0), ("gone", 1.0, None)])

    lines = text.splitlines()
    assert lines[:2] == ["A = before", "B = after"]
    assert lines[-2].split() == ["p50", "ms", "40.0", "20.0", "0.50x"]
    assert lines[-1].split() == ["gone", "1.0", "-", "-"]


def test_compare_from_the_command_line(tmp_path: Path) -> None:
    output.write(report.build(made_up_run(step=0.01)), tmp_path / "a")
    output.write(report.build(made_up_run(step=0.02)), tmp_path / "b")

    result = CliRunner().invoke(
        app, ["bench", "--compare", str(tmp_path / "a"), str(tmp_path / "b" / "report.json")]
    )

    assert result.exit_code == 0, result.output
    assert "Shipped → Paid p50 ms" in result.output
    assert "2.00x" in result.output
