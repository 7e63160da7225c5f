"""Topic configs from the command line."""

from __future__ import annotations

import pytest

from orderflow.tools.errors import ToolError
from orderflow.tools.topic_config import parse_configs


def test_key_value_pairs() -> None:
    pairs = ["cleanup.policy=compact", " retention.ms = 1000 ", "x=a=b"]
    assert parse_configs(pairs) == {
        "cleanup.policy": "compact",
        "retention.ms": "1000",
        "x": "a=b",
    }


@pytest.mark.parametrize("pair", ["compact", "=1", ""])
def test_not_a_pair(pair: str) -> None:
    with pytest.raises(ToolError, match="is not like key=value"):
        parse_configs([pair])
