"""librdkafka's statistics documents (field names as in its STATISTICS.md) read and recorded."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from prometheus_client import REGISTRY

from orderflow.observability.kafka_stats import KafkaStatistics, Reading, read


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


def partition(number: int, *, lag: int, fetchq: int = 0, state: str = "active") -> dict[str, Any]:
    return {
        "partition": number,
        "fetch_state": state,
        "fetchq_cnt": fetchq,
        "consumer_lag": lag,
        "consumer_lag_stored": lag,
        "committed_offset": 100,
        "hi_offset": 100 + max(lag, 0),
    }


def broker(nodeid: int, nodename: str, *, avg_us: int, cnt: int) -> dict[str, Any]:
    return {
        "name": f"{nodename}/{nodeid if nodeid >= 0 else 'bootstrap'}",
        "nodeid": nodeid,
        "nodename": nodename,
        "state": "UP",
        "rtt": {"min": avg_us // 2, "max": avg_us * 2, "avg": avg_us, "cnt": cnt},
    }


def consumer_document(
    topic: str, partitions: dict[str, dict[str, Any]], rebalances: int = 1, msg_cnt: int = 0
) -> dict[str, Any]:
    return {
        "name": "rdkafka#consumer-1",
        "type": "consumer",
        "msg_cnt": msg_cnt,
        "brokers": {
            "localhost:9092/bootstrap": broker(-1, "localhost:9092", avg_us=900, cnt=3),
            "kafka-1:9092/1": broker(1, "kafka-1:9092", avg_us=2_500, cnt=10),
            "kafka-2:9092/2": broker(2, "kafka-2:9092", avg_us=0, cnt=0),
        },
        "topics": {topic: {"topic": topic, "partitions": partitions}},
        "cgrp": {"state": "up", "join_state": "steady", "rebalance_cnt": rebalances},
    }


# read


def test_read_takes_the_lag_of_each_partition_in_hand() -> None:
    document = consumer_document(
        "OrderEventsTopic",
        {
            "0": partition(0, lag=7, fetchq=3),
            "1": partition(1, lag=0, fetchq=2),
            "2": partition(2, lag=-1, fetchq=1),  # lag unknown yet
            "3": partition(3, lag=50, state="none"),  # another member's
            "4": partition(4, lag=9, state="stopped"),
            "-1": partition(-1, lag=5, fetchq=100),  # the unassigned bookkeeping partition
        },
    )

    reading = read(document)

    assert reading.lag == {("OrderEventsTopic", 0): 7, ("OrderEventsTopic", 1): 0}


def test_read_queued_is_the_producer_queue_plus_the_fetch_queues_in_hand() -> None:
    document = consumer_document(
        "OrderEventsTopic",
        {
            "0": partition(0, lag=7, fetchq=3),
            "1": partition(1, lag=-1, fetchq=2),
            "2": partition(2, lag=1, fetchq=40, state="none"),
            "-1": partition(-1, lag=0, fetchq=100),
        },
        msg_cnt=4,
    )

    assert read(document).queued == 4 + 3 + 2


def test_read_takes_each_known_brokers_average_round_trip_in_seconds() -> None:
    document = consumer_document("t", {})

    # The bootstrap entry (nodeid -1) is no broker; kafka-2 sent nothing in the interval.
    assert read(document).rtt_s == {"kafka-1:9092": pytest.approx(0.0025)}


def test_read_names_a_broker_by_its_key_when_it_has_no_nodename() -> None:
    document = {"brokers": {"kafka-3:9092/3": {"nodeid": 3, "rtt": {"avg": 1_000, "cnt": 1}}}}

    assert read(document).rtt_s == {"kafka-3:9092/3": pytest.approx(0.001)}


def test_read_takes_the_groups_rebalance_count() -> None:
    assert read(consumer_document("t", {}, rebalances=6)).rebalances == 6


def test_read_of_a_producer_document() -> None:
    document = {
        "name": "rdkafka#producer-1",
        "type": "producer",
        "msg_cnt": 12,
        "brokers": {"kafka-1:9092/1": broker(1, "kafka-1:9092", avg_us=4_000, cnt=2)},
        "topics": {
            "OrderEventsTopic": {
                "partitions": {
                    "0": {"partition": 0, "fetch_state": "none", "consumer_lag": -1},
                    "-1": {"partition": -1, "fetch_state": "none", "consumer_lag": -1},
                }
            }
        },
    }

    reading = read(document)

    assert (reading.lag, reading.queued, reading.rebalances) == ({}, 12, None)
    assert reading.rtt_s == {"kafka-1:9092": pytest.approx(0.004)}


def test_read_of_an_empty_document_reads_nothing() -> None:
    assert read({}) == Reading(lag={}, queued=0, rtt_s={}, rebalances=None)


# KafkaStatistics.update


def lag(group: str, topic: str, number: int) -> float | None:
    return REGISTRY.get_sample_value(
        "orderflow_consumer_lag", {"group": group, "topic": topic, "partition": str(number)}
    )


def rebalances(group: str) -> float | None:
    return REGISTRY.get_sample_value("orderflow_kafka_rebalances_total", {"group": group})


def test_update_sets_the_lag_of_each_partition() -> None:
    group, topic = unique("group"), unique("topic")
    statistics = KafkaStatistics(unique("svc"), "consumer", group)

    statistics.update(
        json.dumps(consumer_document(topic, {"0": partition(0, lag=7), "1": partition(1, lag=0)}))
    )

    assert (lag(group, topic, 0), lag(group, topic, 1)) == (7.0, 0.0)


def test_update_removes_the_lag_of_a_partition_no_longer_in_hand() -> None:
    group, topic = unique("group"), unique("topic")
    statistics = KafkaStatistics(unique("svc"), "consumer", group)
    statistics.update(
        json.dumps(consumer_document(topic, {"0": partition(0, lag=7), "1": partition(1, lag=4)}))
    )

    statistics.update(json.dumps(consumer_document(topic, {"1": partition(1, lag=2)})))

    assert lag(group, topic, 0) is None
    assert lag(group, topic, 1) == 2.0


def test_update_removes_the_lag_of_a_partition_another_member_now_fetches() -> None:
    group, topic = unique("group"), unique("topic")
    statistics = KafkaStatistics(unique("svc"), "consumer", group)
    statistics.update(json.dumps(consumer_document(topic, {"0": partition(0, lag=7)})))

    statistics.update(
        json.dumps(consumer_document(topic, {"0": partition(0, lag=7, state="none")}))
    )

    assert lag(group, topic, 0) is None


def test_update_counts_only_the_increase_in_rebalances() -> None:
    group = unique("group")
    statistics = KafkaStatistics(unique("svc"), "consumer", group)

    statistics.update(json.dumps(consumer_document("t", {}, rebalances=2)))
    assert rebalances(group) == 2.0
    statistics.update(json.dumps(consumer_document("t", {}, rebalances=2)))
    assert rebalances(group) == 2.0
    statistics.update(json.dumps(consumer_document("t", {}, rebalances=5)))
    assert rebalances(group) == 5.0


def test_update_sets_the_client_queue_and_the_broker_round_trip() -> None:
    service = unique("svc")
    statistics = KafkaStatistics(service, "consumer", unique("group"))

    statistics.update(
        json.dumps(consumer_document("t", {"0": partition(0, lag=1, fetchq=6)}, msg_cnt=1))
    )

    assert (
        REGISTRY.get_sample_value(
            "orderflow_kafka_client_queue_messages", {"service": service, "client": "consumer"}
        )
        == 7.0
    )
    assert REGISTRY.get_sample_value(
        "orderflow_kafka_broker_rtt_seconds",
        {"service": service, "client": "consumer", "broker": "kafka-1:9092"},
    ) == pytest.approx(0.0025)


def test_update_without_a_group_records_no_lag_and_no_rebalances() -> None:
    service, topic = unique("svc"), unique("topic")
    statistics = KafkaStatistics(service, "producer")

    statistics.update(json.dumps(consumer_document(topic, {"0": partition(0, lag=3)}, msg_cnt=2)))

    assert (
        REGISTRY.get_sample_value(
            "orderflow_kafka_client_queue_messages", {"service": service, "client": "producer"}
        )
        == 2.0
    )
    lag_topics = {
        s.labels["topic"]
        for family in REGISTRY.collect()
        if family.name == "orderflow_consumer_lag"
        for s in family.samples
    }
    assert topic not in lag_topics


@pytest.mark.parametrize(
    "stats",
    [
        "not json",
        "[]",
        '"a string"',
        '{"topics": ["OrderEventsTopic"]}',
        '{"topics": {"t": {"partitions": {"zero": {"fetch_state": "active"}}}}}',
        '{"topics": {"t": {"partitions": {"0": {"fetch_state": "active", "consumer_lag": "x"}}}}}',
        '{"brokers": {"b/1": {"nodeid": 1, "rtt": {"cnt": 3}}}}',
        '{"brokers": {"b/1": {"nodeid": 1, "rtt": {"avg": 1, "cnt": "3"}}}}',
        '{"cgrp": {"rebalance_cnt": null}}',
    ],
)
def test_update_skips_a_malformed_document_and_keeps_what_it_had(stats: str) -> None:
    service, group, topic = unique("svc"), unique("group"), unique("topic")
    statistics = KafkaStatistics(service, "consumer", group)
    statistics.update(
        json.dumps(consumer_document(topic, {"0": partition(0, lag=7)}, rebalances=1, msg_cnt=3))
    )

    statistics.update(stats)  # raises nothing

    assert lag(group, topic, 0) == 7.0
    assert rebalances(group) == 1.0
    assert (
        REGISTRY.get_sample_value(
            "orderflow_kafka_client_queue_messages", {"service": service, "client": "consumer"}
        )
        == 3.0
    )
