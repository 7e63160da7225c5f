"""One router per REST resource of the Confluent Schema Registry API."""
