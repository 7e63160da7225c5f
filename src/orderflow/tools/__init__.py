"""Tools for looking at Kafka by hand: `orderflow topics|produce|consume`.

The same ground as Kafka's own console tools (which `bin/kafka-*` launch via
`kafka_tool`), in Python and aware of the Schema Registry.
"""
