"""The smallest consumer: join a group, read a topic from the beginning, commit, stop on Ctrl-C.

Run it against the local stack (`make run`), with the producer in another terminal:

    .venv/bin/python examples/consumer.py --topic quickstart
"""

from __future__ import annotations

import argparse

from confluent_kafka import Consumer

from orderflow.access import kafka_access
from orderflow.settings import load_settings


def text(data: bytes | None) -> str:
    # Kafka keys and values are bytes; these examples send UTF-8 text.
    return data.decode() if data is not None else "(none)"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    kafka = kafka_access(load_settings())
    parser.add_argument("--bootstrap", default=kafka.bootstrap, help="broker")
    parser.add_argument("--topic", default="quickstart")
    parser.add_argument("--group", default="quickstart-readers", help="consumer group")
    args = parser.parse_args()

    # The settings' TLS and SASL for Kafka (ORDERFLOW_KAFKA_SECURITY_PROTOCOL), if any.
    consumer = Consumer(
        kafka.at(args.bootstrap).config(
            {
                # Consumers in one group share the partitions; the group's committed
                # offsets say where to resume after a restart.
                "group.id": args.group,
                # A group with no committed offsets yet starts at the oldest message.
                "auto.offset.reset": "earliest",
                # We commit ourselves, after handling a message, so a crash in the
                # middle means it is read again rather than skipped.
                "enable.auto.commit": False,
            }
        )
    )
    consumer.subscribe([args.topic])
    print(f"reading {args.topic} as group {args.group}; Ctrl-C to stop")
    try:
        while True:
            message = consumer.poll(1.0)  # wait up to 1 s for the next message
            if message is None:
                continue
            if message.error():
                print(f"error: {message.error()}")
                continue
            print(f"{text(message.key())}: {text(message.value())}")
            consumer.commit(message=message, asynchronous=False)
    except KeyboardInterrupt:
        pass
    finally:
        # Leave the group at once, so its partitions go to the others now rather
        # than after the session times out.
        consumer.close()
        print("closed")


if __name__ == "__main__":
    main()
