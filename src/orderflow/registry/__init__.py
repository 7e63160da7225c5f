"""A Confluent-compatible Schema Registry whose state lives in a compacted Kafka topic.

Start at ``app.create_app`` (the wiring), ``service.Registry`` (reads and
writes), ``commands`` (the rules of each write), ``store.Store`` (state as a
fold over records), ``records`` (the ``_schemas`` record format) and
``kafka_log.KafkaLog`` (the topic).
"""
