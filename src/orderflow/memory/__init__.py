"""The whole system in memory: the declared services on memory stores and a memory bus.

The same decisions, processor and consumer loop as on the real stack, with
Kafka, Postgres and Debezium replaced by plain Python objects, so the saga's
paths, redelivery and poison handling run as unit tests in milliseconds.
"""
