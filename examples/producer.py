"""The smallest producer: send keyed text messages to a topic and see where each landed.

Run it against the local stack (`make run`), with the consumer in another terminal:

    .venv/bin/python examples/producer.py --topic quickstart --count 5
"""

from __future__ import annotations

import argparse

from confluent_kafka import KafkaError, Message, Producer

from orderflow.access import kafka_access
from orderflow.settings import load_settings


def text(data: bytes | None) -> str:
    # Kafka keys and values are bytes; these examples send UTF-8 text.
    return data.decode() if data is not None else "(none)"


def report(error: KafkaError | None, message: Message) -> None:
    # Called from producer.poll()/flush() once the broker has (or has not)
    # stored the message: sending is asynchronous, this is its receipt.
    if error is not None:
        print(f"failed: {error.str()}")
    else:
        print(f"delivered {text(message.key())}: {text(message.value())}", end=" ")
        print(f"to {message.topic()} partition {message.partition()} offset {message.offset()}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    kafka = kafka_access(load_settings())
    parser.add_argument("--bootstrap", default=kafka.bootstrap, help="broker")
    parser.add_argument("--topic", default="quickstart")
    parser.add_argument("--count", type=int, default=10, help="how many messages")
    args = parser.parse_args()

    # The settings' TLS and SASL for Kafka (ORDERFLOW_KAFKA_SECURITY_PROTOCOL), if any.
    producer = Producer(kafka.at(args.bootstrap).config())
    for number in range(args.count):
        # Messages with the same key go to the same partition, so Kafka keeps
        # them in order; here three users take turns.
        key = f"user-{number % 3}"
        producer.produce(args.topic, key=key, value=f"message {number}", on_delivery=report)
        producer.poll(0)  # serve the delivery reports of what has been sent so far
    # Wait until every message is delivered (or failed) before exiting, or the
    # ones still queued in this process would be lost.
    left = producer.flush(30)
    if left:
        raise SystemExit(f"{left} messages were not delivered")


if __name__ == "__main__":
    main()
