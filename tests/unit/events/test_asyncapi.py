"""The AsyncAPI document: valid AsyncAPI 3.0, and saying what the code declares.

Validity is checked against the official JSON schema, vendored next to this
file (asyncapi_spec/README.md says from where); the content against the
declarations it is generated from: the topics, the event types and their
``.avsc``, each service's topics, handlers, consumer group and ``emits``, the
connector's headers and the dead letters' headers.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from confluent_kafka import Message, Producer
from jsonschema import Draft7Validator

from orderflow.events.asyncapi import AVRO, DEAD_LETTER, asyncapi_document
from orderflow.events.model import EVENT_TYPES, type_name
from orderflow.events.topics import ALL_TOPICS, schema_text
from orderflow.messaging.deadletters import DEAD_LETTER_TOPIC, DeadLetters
from orderflow.messaging.service import AnyService, Declared, Service
from orderflow.services import CONSUMERS, SERVICES, service_named
from orderflow.stack.connector import find_connector_file

SPEC = Path(__file__).parent / "asyncapi_spec" / "3.0.0.json"
DOC = asyncapi_document(SERVICES, DEAD_LETTER_TOPIC)


def resolve(ref: dict[str, Any]) -> Any:
    """What a local ``{"$ref": "#/a/b"}`` of DOC points at, through references to references."""
    assert ref["$ref"].startswith("#/")
    found: Any = DOC
    for part in ref["$ref"][2:].split("/"):
        found = found[part.replace("~1", "/").replace("~0", "~")]
    return resolve(found) if "$ref" in found else found


def refs(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "$ref" in node:
            yield node
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def operations_of(service: Declared, action: str) -> dict[str, dict[str, Any]]:
    """The service's operations of one action, by channel address."""
    found = {}
    for op_id, operation in DOC["operations"].items():
        if op_id.startswith(f"{service.name}.") and operation["action"] == action:
            found[resolve(operation["channel"])["address"]] = operation
    return found


def message_names(operation: dict[str, Any]) -> set[str]:
    return {resolve(m)["name"] for m in operation["messages"]}


def schema_errors(document: dict[str, Any]) -> list[str]:
    validator = Draft7Validator(json.loads(SPEC.read_text(encoding="utf-8")))
    return sorted(f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document))


def test_the_document_is_valid_asyncapi_3() -> None:
    assert DOC["asyncapi"] == "3.0.0"
    assert schema_errors(DOC) == []


def test_the_schema_refuses_a_document_that_is_not() -> None:
    broken = copy.deepcopy(DOC)
    next(iter(broken["operations"].values()))["action"] = "publish"  # AsyncAPI 2's verb

    assert schema_errors(broken) != []


def test_every_reference_points_at_something_in_the_document() -> None:
    found = list(refs(DOC))

    assert len(found) > 20
    for ref in found:
        assert isinstance(resolve(ref), dict), ref


def test_every_topic_is_a_channel_and_so_is_the_dead_letter_topic() -> None:
    assert set(DOC["channels"]) == {*ALL_TOPICS, DEAD_LETTER_TOPIC}
    for name, channel in DOC["channels"].items():
        assert channel["address"] == name
        assert channel["bindings"]["kafka"]["topic"] == name


def test_every_event_type_is_a_message_on_its_topic_with_the_topics_avro_schema() -> None:
    assert set(DOC["components"]["messages"]) == {*map(type_name, EVENT_TYPES), DEAD_LETTER}
    for event_type in EVENT_TYPES:
        name = type_name(event_type)
        on_channel = DOC["channels"][event_type.topic]["messages"]
        assert resolve(on_channel[name])["name"] == name
        payload = resolve(resolve(on_channel[name])["payload"])
        assert payload == {
            "schemaFormat": AVRO,
            "schema": json.loads(schema_text(event_type.topic)),
        }
        [kind] = [f for f in payload["schema"]["fields"] if f["name"] == "eventType"]
        assert name in kind["type"]["symbols"]
    on_topics = [m for topic in ALL_TOPICS for m in DOC["channels"][topic]["messages"]]
    assert sorted(on_topics) == sorted(map(type_name, EVENT_TYPES))


def test_an_events_kafka_key_is_its_order_id_and_its_value_confluent_framed() -> None:
    for event_type in EVENT_TYPES:
        kafka = DOC["components"]["messages"][type_name(event_type)]["bindings"]["kafka"]
        assert kafka["key"]["type"] == "string"
        assert "orderId" in kafka["key"]["description"]
        assert kafka["schemaIdLocation"] == "payload"
        assert kafka["schemaIdPayloadEncoding"] == "confluent"


@pytest.mark.parametrize("service", CONSUMERS, ids=lambda s: s.name)
def test_a_service_receives_from_each_topic_it_declares_what_it_handles(
    service: AnyService,
) -> None:
    received = operations_of(service, "receive")

    assert set(received) == set(service.topics)
    handled = set().union(*(message_names(op) for op in received.values()))
    assert handled == service.consumes
    for topic, operation in received.items():
        assert operation["bindings"]["kafka"]["groupId"]["enum"] == [service.group]
        on_topic = {type_name(t) for t in EVENT_TYPES if t.topic == topic}
        assert message_names(operation) <= on_topic


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_a_service_sends_what_it_emits_and_dead_letters_if_it_consumes(
    service: Declared,
) -> None:
    sent = operations_of(service, "send")

    dead_letters = {DEAD_LETTER_TOPIC} if isinstance(service, Service) else set()
    assert set(sent) == {t.topic for t in service.emits} | dead_letters
    events = set().union(*(message_names(op) for t, op in sent.items() if t != DEAD_LETTER_TOPIC))
    assert events == {type_name(t) for t in service.emits}
    if dead_letters:
        assert message_names(sent[DEAD_LETTER_TOPIC]) == {DEAD_LETTER}


def test_every_operation_is_a_declared_services() -> None:
    assert len(DOC["operations"]) == sum(
        len(operations_of(s, "send")) + len(operations_of(s, "receive")) for s in SERVICES
    )
    for op_id, operation in DOC["operations"].items():
        service = service_named(op_id.split(".")[0])
        assert operation["tags"] == [{"name": service.title}]


def test_every_event_type_has_one_sender_and_a_receiver() -> None:
    for event_type in EVENT_TYPES:
        name = type_name(event_type)
        senders = [
            op_id
            for op_id, op in DOC["operations"].items()
            if op["action"] == "send" and name in message_names(op)
        ]
        receivers = [
            op_id
            for op_id, op in DOC["operations"].items()
            if op["action"] == "receive" and name in message_names(op)
        ]
        assert len(senders) == 1, (name, senders)
        assert receivers, name


def test_an_operation_names_only_messages_of_its_own_channel() -> None:
    for operation in DOC["operations"].values():
        channel = operation["channel"]["$ref"]
        for message in operation["messages"]:
            assert message["$ref"].startswith(f"{channel}/messages/")


def test_an_events_headers_are_the_ones_the_outbox_connector_puts_there() -> None:
    config = json.loads(find_connector_file().read_text(encoding="utf-8"))["config"]
    placements = config["transforms.outbox.table.fields.additional.placement"].split(",")
    placed = {p.split(":")[2] for p in placements if p.split(":")[1] == "header"}

    for event_type in EVENT_TYPES:
        headers = DOC["components"]["messages"][type_name(event_type)]["headers"]
        # The router adds the event's id as the header `id` of its own accord.
        assert set(headers["properties"]) == {"id", *placed}
        assert headers["properties"]["eventType"]["const"] == type_name(event_type)


class RecordingProducer:
    def __init__(self) -> None:
        self.headers: list[tuple[str, bytes]] = []

    def produce(self, topic: str, **record: Any) -> None:
        self.headers = record["headers"]


def test_a_dead_letters_headers_are_the_ones_dead_letters_adds() -> None:
    producer = RecordingProducer()
    refused = Message(
        topic="OrderEventsTopic", partition=1, offset=7, key=b"k", value=b"?", headers=[]
    )

    DeadLetters(cast(Producer, producer), "a-group").send(refused, "undecodable")

    headers = DOC["components"]["messages"][DEAD_LETTER]["headers"]
    assert set(headers["properties"]) == {name for name, _ in producer.headers}
    assert set(headers["required"]) == set(headers["properties"])


def test_the_http_front_receives_nothing_and_dead_letters_nothing() -> None:
    [front] = [s for s in SERVICES if not isinstance(s, Service)]

    assert operations_of(front, "receive") == {}
    assert DEAD_LETTER_TOPIC not in operations_of(front, "send")
