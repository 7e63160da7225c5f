"""Events: the Avro schemas (one ``.avsc`` per topic), event types and the codec."""
