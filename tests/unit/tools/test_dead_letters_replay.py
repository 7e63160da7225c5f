"""What `orderflow dead-letters replay` chooses and sends, decided in memory."""

from __future__ import annotations

from dataclasses import replace

import pytest
import typer

from orderflow.access import KafkaAccess
from orderflow.tools.dead_letters_replay import (
    Ref,
    check_origins,
    choose,
    parse_ref,
    question,
    replay_headers,
    replays,
    sent_line,
    would_send_line,
)
from orderflow.tools.dead_letters_topic import Remaining, replay_producer_config
from orderflow.tools.dead_letters_view import DeadLetter, LetterId, Origin
from orderflow.tools.errors import ToolError

OWN = (("id", b"e-1"), ("eventType", b"OrderCreated"), ("traceparent", b"00-abc-def-01"))
ORIGIN = Origin("OrderEventsTopic", 2, 40)


def letter(
    partition: int,
    offset: int,
    origin: Origin | None = ORIGIN,
    group: str = "inventory-service",
    key: bytes | None = b"order-1",
) -> DeadLetter:
    return DeadLetter(
        id=LetterId(partition, offset),
        timestamp_ms=None,
        reason="handler failed",
        group=group,
        origin=origin,
        key=key,
        value=b"value",
        headers=OWN,
    )


@pytest.mark.parametrize(
    ("text", "ref"),
    [("3:17", Ref(3, 17)), ("17", Ref(None, 17)), (" 0:0 ", Ref(0, 0))],
)
def test_an_id_is_partition_colon_offset_or_an_offset(text: str, ref: Ref) -> None:
    assert parse_ref(text) == ref


@pytest.mark.parametrize("text", ["", "a:b", "-1", "3:", ":4", "1:2:3", "3:-1", "x"])
def test_anything_else_is_a_usage_error(text: str) -> None:
    with pytest.raises(typer.BadParameter, match="is not a dead-letter id"):
        parse_ref(text)


LETTERS = [
    letter(0, 4, Origin("OrderEventsTopic", 1, 7)),
    letter(3, 4, Origin("PaymentEventsTopic", 0, 2), group="shipping-service"),
    letter(3, 17, Origin("OrderEventsTopic", 0, 9), group="order-status-service"),
]


def ids(found: list[DeadLetter]) -> list[str]:
    return [str(one.id) for one in found]


def test_ids_choose_those_letters_in_their_original_order() -> None:
    choice = choose(LETTERS, [Ref(3, 4), Ref(0, 4), Ref(3, 17)])

    # OrderEventsTopic 0@9, 1@7, then PaymentEventsTopic: as they were on their partitions.
    assert ids(choice.chosen) == ["3:17", "0:4", "3:4"]
    assert choice.unreplayable == []


def test_an_offset_alone_chooses_the_one_letter_with_it() -> None:
    assert ids(choose(LETTERS, [Ref(None, 17)]).chosen) == ["3:17"]


def test_an_offset_on_two_partitions_names_both() -> None:
    with pytest.raises(ToolError, match=r"offset 4 is on more than one partition: give 0:4 or 3:4"):
        choose(LETTERS, [Ref(None, 4)])


def test_an_id_of_no_letter_is_an_error() -> None:
    with pytest.raises(ToolError, match="no dead letter 1:4; `orderflow dead-letters list`"):
        choose(LETTERS, [Ref(1, 4)])


def test_an_id_given_twice_is_chosen_once() -> None:
    assert ids(choose(LETTERS, [Ref(3, 17), Ref(None, 17)]).chosen) == ["3:17"]


def test_no_ids_choose_every_letter_of_the_filters() -> None:
    assert ids(choose(LETTERS, []).chosen) == ["3:17", "0:4", "3:4"]
    assert ids(choose(LETTERS, [], origin_topic="OrderEventsTopic").chosen) == ["3:17", "0:4"]
    assert ids(choose(LETTERS, [], group="shipping-service").chosen) == ["3:4"]
    assert choose(LETTERS, [], origin_topic="ShippingEventsTopic").chosen == []


def test_an_id_the_filters_leave_out_is_an_error_that_says_why() -> None:
    with pytest.raises(ToolError, match="3:4 came from PaymentEventsTopic, not --origin-topic"):
        choose(LETTERS, [Ref(3, 4)], origin_topic="OrderEventsTopic")
    with pytest.raises(ToolError, match="3:4 was dead-lettered by shipping-service, not the"):
        choose(LETTERS, [Ref(3, 4)], group="inventory-service")


def test_a_letter_that_does_not_say_where_it_came_from_cannot_be_replayed() -> None:
    unknown = letter(5, 1, origin=None)

    every = choose([*LETTERS, unknown], [])
    assert ids(every.chosen) == ["3:17", "0:4", "3:4"]
    assert ids(every.unreplayable) == ["5:1"]
    with pytest.raises(ToolError, match=r"5:1 has no dlq\.source\.topic"):
        choose([*LETTERS, unknown], [Ref(5, 1)])


def test_a_replay_is_the_record_as_it_was_sent_to_its_partition() -> None:
    (one,) = replays([letter(3, 17)], "DeadLetterTopic")

    assert (one.topic, one.partition) == ("OrderEventsTopic", 2)
    assert (one.key, one.value) == (b"order-1", b"value")
    assert one.letters == (LetterId(3, 17),)
    assert one.event_type == "OrderCreated"
    assert one.headers == (*OWN, ("dlq.replayed.from", b"DeadLetterTopic:3:17"))


def test_one_record_two_groups_gave_up_on_is_sent_once_naming_both() -> None:
    inventory = letter(3, 17)
    status = letter(1, 8, group="order-status-service")
    other = letter(0, 2, Origin("OrderEventsTopic", 2, 41))

    plan = replays([inventory, status, other], "DeadLetterTopic")

    assert [one.letters for one in plan] == [(LetterId(3, 17), LetterId(1, 8)), (LetterId(0, 2),)]
    assert plan[0].headers[-2:] == (
        ("dlq.replayed.from", b"DeadLetterTopic:3:17"),
        ("dlq.replayed.from", b"DeadLetterTopic:1:8"),
    )


def test_the_same_origin_with_another_value_is_another_record() -> None:
    # A topic deleted and made again starts its offsets over.
    again = replace(letter(1, 8), value=b"other")

    assert len(replays([letter(3, 17), again], "DeadLetterTopic")) == 2


def test_replayed_headers_keep_the_record_s_own_in_order_and_drop_any_dlq_one() -> None:
    own = (
        ("id", b"e-1"),
        ("dlq.replayed.from", b"DeadLetterTopic:0:1"),  # from a replay that failed again
        ("seen", b"1"),
        ("seen", None),
        ("dlq.reason", b"stray"),
    )

    headers = replay_headers(own, "DLT", [LetterId(4, 9)])

    assert headers == (
        ("id", b"e-1"),
        ("seen", b"1"),
        ("seen", None),
        ("dlq.replayed.from", b"DLT:4:9"),
    )


PLAN = replays([letter(3, 17)], "DeadLetterTopic")


def test_a_replay_to_a_topic_or_partition_that_is_gone_is_refused() -> None:
    check_origins(PLAN, {"OrderEventsTopic": [0, 1, 2]})
    with pytest.raises(ToolError, match="'OrderEventsTopic', which does not exist"):
        check_origins(PLAN, {"Other": [0]})
    with pytest.raises(ToolError, match=r"partition 2, which it does not have \(partitions 0..1\)"):
        check_origins(PLAN, {"OrderEventsTopic": [0, 1]})


def test_each_record_is_one_line_saying_where_it_went() -> None:
    (one,) = PLAN
    keyless = replays([letter(0, 1, key=None)], "D")[0]

    assert sent_line(one, 120) == (
        "sent 3:17 to OrderEventsTopic partition 2 at offset 120 "
        "(was offset 40; OrderCreated, key order-1)"
    )
    assert would_send_line(one) == (
        "would send 3:17 to OrderEventsTopic partition 2 (was offset 40; OrderCreated, key order-1)"
    )
    assert "OrderCreated, no key)" in would_send_line(keyless)


def test_the_question_counts_the_records_and_names_their_topics() -> None:
    plan = replays(LETTERS, "D")

    assert question(plan).startswith(
        "Send 3 records back to OrderEventsTopic, PaymentEventsTopic? Every group reading"
    )
    assert question(PLAN).startswith("Send 1 record back to OrderEventsTopic?")


def test_reading_stops_at_each_partition_s_end_as_it_was() -> None:
    remaining = Remaining({0: 3, 1: 1})

    assert remaining.take(0, 0)
    assert remaining.take(1, 0)  # the last of partition 1
    assert remaining.take(0, 2)  # an offset may be skipped (compaction): still below the end
    assert not remaining


def test_a_record_written_after_reading_began_is_not_shown_and_ends_its_partition() -> None:
    remaining = Remaining({0: 3})

    assert not remaining.take(0, 5)
    assert not remaining


def test_the_end_of_a_partition_ends_it_and_other_partitions_are_not_taken() -> None:
    remaining = Remaining({0: 10, 1: 10})

    assert not remaining.take(7, 0)
    remaining.reached_end(0)
    assert remaining
    remaining.reached_end(1)
    assert not remaining


def test_a_replay_is_produced_acknowledged_by_every_replica_and_idempotent() -> None:
    config = replay_producer_config(KafkaAccess("broker:9092"), 2.5)

    assert config["bootstrap.servers"] == "broker:9092"
    assert config["acks"] == "all"
    assert config["enable.idempotence"] is True
    assert config["message.timeout.ms"] == 2500
