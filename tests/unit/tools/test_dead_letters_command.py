"""`orderflow dead-letters list|replay` run as a user runs them, the topic faked in memory.

The fake stands where KafkaLetters does (reading the topic, its partitions,
sending); everything else is the command as it runs: options, usage errors,
what is printed and the exit code. -b's broker, given at a port nobody listens
on, is the real client's, and the one the failure names.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest
from typer.testing import CliRunner

from orderflow.cli import app, main
from orderflow.stack.ports import free_ports
from orderflow.tools import dead_letters
from orderflow.tools.broker import Broker
from orderflow.tools.dead_letters_replay import Replay
from orderflow.tools.dead_letters_topic import Sent
from orderflow.tools.record_view import Record


def dead_letter(partition: int, offset: int, origin_offset: int, at_ms: int) -> Record:
    headers = (
        ("dlq.reason", b"handler failed: InsufficientPrivilege('permission denied')"),
        ("dlq.source.topic", b"OrderEventsTopic"),
        ("dlq.source.partition", b"2"),
        ("dlq.source.offset", str(origin_offset).encode()),
        ("dlq.consumer.group", b"inventory-service"),
        ("id", f"event-{origin_offset}".encode()),
        ("eventType", b"OrderCreated"),
    )
    return Record("DeadLetterTopic", partition, offset, b"order-1", b"v", headers, at_ms)


@dataclass
class Topic:
    """The fake's state: what is on the topic, and what the commands did with it."""

    records: list[Record]
    partitions: dict[str, list[int]] = field(
        default_factory=lambda: {"OrderEventsTopic": [0, 1, 2]}
    )
    refused: dict[int, str] = field(default_factory=dict)
    """Records of a replay (by index) the broker refuses, and what it says."""
    opened: list[str] = field(default_factory=list)
    sent: list[Replay] = field(default_factory=list)


class FakeLetters:
    """Stands in for KafkaLetters."""

    def __init__(self, state: Topic, broker: Broker, topic: str) -> None:
        self.state = state
        self.broker = broker
        state.opened.append(topic)

    def read(self) -> list[Record]:
        return list(self.state.records)

    def partitions(self) -> dict[str, list[int]]:
        return self.state.partitions

    def send(self, plan: Sequence[Replay]) -> Sent:
        sent = Sent()
        for index, one in enumerate(plan):
            if index in self.state.refused:
                sent.errors[index] = self.state.refused[index]
            else:
                self.state.sent.append(one)
                sent.offsets[index] = 100 + index
        return sent


@pytest.fixture
def topic(monkeypatch: pytest.MonkeyPatch) -> Topic:
    # Newest first on the topic's partitions: list shows the oldest first.
    state = Topic([dead_letter(3, 17, 41, 2_000), dead_letter(0, 4, 40, 1_000)])
    monkeypatch.setattr(dead_letters, "KafkaLetters", functools.partial(FakeLetters, state))
    monkeypatch.setenv("COLUMNS", "250")  # rich's table, one row a line
    return state


def run(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[str], list[str]]:
    monkeypatch.setattr("sys.argv", ["orderflow", *argv])
    with pytest.raises(SystemExit) as exited:
        main()
    code = exited.value.code
    out, err = capsys.readouterr()
    return (code if isinstance(code, int) else 1), out.splitlines(), err.splitlines()


def test_list_json_is_one_object_a_dead_letter_oldest_first(
    topic: Topic, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["dead-letters", "list", "--json"], monkeypatch, capsys)

    assert code == 0
    documents = [json.loads(line) for line in out]
    assert [d["id"] for d in documents] == ["0:4", "3:17"]
    assert documents[0]["origin_offset"] == 40
    assert documents[0]["reason"].startswith("handler failed: InsufficientPrivilege")
    assert topic.opened == ["DeadLetterTopic"]


def test_list_shows_a_table_with_each_dead_letter(
    topic: Topic, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["dead-letters", "list", "--topic", "Other"], monkeypatch, capsys)

    assert code == 0
    shown = "\n".join(out)
    assert "2 dead letters on Other" in shown
    # Oldest first; each row is its id over its time, its origin over its group.
    firsts = [line.split()[1:4:2] for line in out if "OrderEventsTopic[2]@" in line]
    assert firsts == [["0:4", "OrderEventsTopic[2]@40"], ["3:17", "OrderEventsTopic[2]@41"]]
    assert "handler failed: InsufficientPrivilege('permission denied')" in shown
    assert topic.opened == ["Other"]


def test_list_of_an_empty_topic_says_so(
    topic: Topic, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    topic.records.clear()

    assert run(["dead-letters", "list"], monkeypatch, capsys) == (
        0,
        ["no dead letters on DeadLetterTopic"],
        [],
    )
    assert run(["dead-letters", "list", "--json"], monkeypatch, capsys) == (0, [], [])


def test_a_dry_run_says_what_it_would_send_and_sends_nothing(
    topic: Topic, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["dead-letters", "replay", "--all", "--dry-run"], monkeypatch, capsys)

    assert code == 0
    assert out == [
        "would send 0:4 to OrderEventsTopic partition 2 (was offset 40; OrderCreated, key order-1)",
        "would send 3:17 to OrderEventsTopic partition 2 "
        "(was offset 41; OrderCreated, key order-1)",
    ]
    assert topic.sent == []


def test_replay_sends_the_records_chosen_and_says_where_each_went(
    topic: Topic, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["dead-letters", "replay", "3:17", "--yes"], monkeypatch, capsys)

    assert (code, err) == (0, [])
    assert out == [
        "sent 3:17 to OrderEventsTopic partition 2 at offset 100 "
        "(was offset 41; OrderCreated, key order-1)"
    ]
    (sent,) = topic.sent
    assert (sent.topic, sent.partition, sent.key, sent.value) == (
        "OrderEventsTopic",
        2,
        b"order-1",
        b"v",
    )
    assert sent.headers == (
        ("id", b"event-41"),
        ("eventType", b"OrderCreated"),
        ("dlq.replayed.from", b"DeadLetterTopic:3:17"),
    )


def test_a_record_the_broker_refuses_is_one_error_line_after_those_it_took(
    topic: Topic, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    topic.refused[1] = "Broker: Not enough in-sync replicas"

    argv = ["dead-letters", "replay", "--all", "-y", "-b", "127.0.0.1:19092"]

    code, out, err = run(argv, monkeypatch, capsys)

    assert code == 1
    assert [line.split(" at offset ")[0] for line in out] == [
        "sent 0:4 to OrderEventsTopic partition 2"
    ]
    assert err == [
        "error: 1 of 2 records were not replayed; the broker at 127.0.0.1:19092 said for "
        "OrderEventsTopic partition 2: "
        "Broker: Not enough in-sync replicas"
    ]


def test_nothing_matching_is_said_and_sends_nothing(
    topic: Topic, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["dead-letters", "replay", "--all", "--origin-topic", "PaymentEventsTopic", "--yes"]

    code, out, err = run(argv, monkeypatch, capsys)

    assert (code, out) == (0, [])
    assert err == ["nothing to replay: no dead letter on DeadLetterTopic matches"]
    assert topic.sent == []


def test_an_unknown_id_is_one_line(
    topic: Topic, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["dead-letters", "replay", "1:17", "--yes"], monkeypatch, capsys)

    assert code == 1
    assert err == ["error: no dead letter 1:17; `orderflow dead-letters list` shows their ids"]
    assert topic.sent == []


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        ([], "give the ids of the dead letters to replay, or --all"),
        (["3:17", "--all"], "give ids or --all, not both"),
        (["3:x", "--yes"], "'3:x' is not a dead-letter id"),
        # Tests run without a terminal on stdin: nobody could answer the question.
        (["3:17"], "replaying needs a yes, and stdin is no terminal: add --yes"),
        (["--all", "-b", "localhost"], "'localhost' is not host:port"),
    ],
)
def test_usage_errors_are_one_line_exit_2_before_reading_the_topic(
    topic: Topic,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    problem: str,
) -> None:
    code, _, err = run(["dead-letters", "replay", *args], monkeypatch, capsys)

    assert code == 2, err
    assert len(err) == 1, err
    assert err[0].startswith("error: ")
    assert problem in err[0]
    assert topic.opened == []


@pytest.mark.parametrize(
    "command",
    [["list"], ["replay", "--all", "--dry-run"], ["replay", "0:1", "--yes"]],
)
def test_the_broker_given_is_the_one_asked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    settings_port, given_port = free_ports(2)
    monkeypatch.setenv("ORDERFLOW_KAFKA_PORT", str(settings_port))
    argv = ["dead-letters", *command, "--timeout", "0.2", "-b", f"127.0.0.1:{given_port}"]

    code, _, err = run(argv, monkeypatch, capsys)

    assert code == 1
    assert err == [
        f"error: no Kafka broker answered at 127.0.0.1:{given_port} within 0.2 s; "
        "is the stack up? (orderflow stack up)"
    ]


def test_the_commands_are_wired() -> None:
    assert "dead-letters" in CliRunner().invoke(app, ["--help"]).output
    shown = CliRunner().invoke(app, ["dead-letters", "--help"]).output
    assert "list" in shown
    assert "replay" in shown
