"""Send Avro messages whose schema lives in the Schema Registry, and show the wire format.

The serializer registers order_placed.avsc under the subject `<topic>-value`
(once) and frames each value as: magic byte 0, the 4-byte schema id, the Avro body.

    .venv/bin/python examples/avro_producer.py --topic quickstart-avro --count 3
"""

from __future__ import annotations

import argparse
import struct
import time
import uuid
from pathlib import Path

from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

from orderflow.access import kafka_access, registry_access
from orderflow.settings import load_settings

SCHEMA = Path(__file__).with_name("order_placed.avsc")


def main() -> None:
    settings = load_settings()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bootstrap", default=settings.kafka_bootstrap, help="broker")
    parser.add_argument("--registry", default=settings.registry_url, help="schema registry")
    parser.add_argument("--topic", default="quickstart-avro")
    parser.add_argument("--count", type=int, default=3, help="how many messages")
    args = parser.parse_args()

    # The settings' credentials, if any: basic auth for the registry, TLS and SASL for Kafka.
    registry = SchemaRegistryClient(registry_access(settings).at(args.registry).client_config())
    serialize = AvroSerializer(registry, SCHEMA.read_text())
    # Tells the serializer the topic, hence the subject (<topic>-value).
    context = SerializationContext(args.topic, MessageField.VALUE)
    producer = Producer(kafka_access(settings).at(args.bootstrap).config())
    for number in range(args.count):
        order_id = str(uuid.uuid4())
        order = {
            "order_id": order_id,
            "user_id": "123",
            "items": ["item1", "item2"][: number % 2 + 1],
            "placed_at_ms": int(time.time() * 1000),
        }
        payload = serialize(order, context)
        if number == 0:
            magic, schema_id = struct.unpack(">bI", payload[:5])
            print(f"wire format: magic byte {magic}, schema id {schema_id}, then Avro")
        # The key is the order id, as in orderflow: one order's events stay in order.
        producer.produce(args.topic, key=order_id, value=payload)
        print(f"sent {order}")
    left = producer.flush(30)  # wait until the broker has them all
    if left:
        raise SystemExit(f"{left} messages were not delivered")


if __name__ == "__main__":
    main()
