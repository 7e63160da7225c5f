"""Read Avro messages, fetching each writer's schema from the Schema Registry by its id.

.venv/bin/python examples/avro_consumer.py --topic quickstart-avro
"""

from __future__ import annotations

import argparse
import struct

from confluent_kafka import Consumer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext

from orderflow.access import kafka_access, registry_access
from orderflow.settings import load_settings


def main() -> None:
    settings = load_settings()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bootstrap", default=settings.kafka_bootstrap, help="broker")
    parser.add_argument("--registry", default=settings.registry_url, help="schema registry")
    parser.add_argument("--topic", default="quickstart-avro")
    parser.add_argument("--group", default="quickstart-avro-readers", help="consumer group")
    args = parser.parse_args()

    # No schema given: the id in each message says which one to fetch (once, then cached).
    # The settings' credentials, if any: basic auth for the registry, TLS and SASL for Kafka.
    registry = SchemaRegistryClient(registry_access(settings).at(args.registry).client_config())
    deserialize = AvroDeserializer(registry)
    context = SerializationContext(args.topic, MessageField.VALUE)
    consumer = Consumer(
        kafka_access(settings)
        .at(args.bootstrap)
        .config({"group.id": args.group, "auto.offset.reset": "earliest"})
    )
    consumer.subscribe([args.topic])
    shown_header = False
    try:
        while True:
            message = consumer.poll(1.0)
            if message is None or message.error():
                continue
            payload = message.value() or b""
            if not shown_header:
                magic, schema_id = struct.unpack(">bI", payload[:5])
                print(f"wire format: magic byte {magic}, schema id {schema_id}, then Avro")
                shown_header = True
            print(f"received {deserialize(payload, context)}")
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()  # commits the offsets read so far (auto commit) and leaves the group


if __name__ == "__main__":
    main()
