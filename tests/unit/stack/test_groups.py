"""Reading the consumer groups through a child process, and what it prints."""

from __future__ import annotations

import json

from orderflow.settings import Settings
from orderflow.stack.groups import GroupState, group_states, parse_states
from orderflow.stack.ports import free_ports


def test_the_child_s_json_reads_as_states_in_the_order_asked() -> None:
    printed = json.dumps(
        {
            "payment": {"state": "EMPTY", "client_ids": []},
            "inventory": {"state": "STABLE", "client_ids": ["inventory-41", "inventory-42"]},
        }
    )
    states = parse_states(printed, ["inventory", "payment"])
    assert states == [
        GroupState("inventory", "STABLE", ("inventory-41", "inventory-42")),
        GroupState("payment", "EMPTY", ()),
    ]
    assert states is not None
    assert [(s.members, s.consuming) for s in states] == [(2, True), (0, False)]


def test_a_missing_group_or_garbled_output_reads_as_no_answer() -> None:
    assert (
        parse_states(json.dumps({"payment": {"state": "EMPTY", "client_ids": []}}), ["inventory"])
        is None
    )
    assert parse_states("Assertion `eonce->refcnt > 0' failed", ["inventory"]) is None
    assert parse_states(json.dumps({"inventory": {"state": "STABLE"}}), ["inventory"]) is None


def test_a_kafka_that_does_not_answer_is_none_and_the_caller_lives_on() -> None:
    (nobody,) = free_ports(1)
    settings = Settings(host="127.0.0.1", kafka_port=nobody)
    assert group_states(settings, ["inventory"], timeout_s=1.0) is None
