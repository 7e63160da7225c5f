"""orderflow: event-driven order processing on Kafka, Kafka Connect (Debezium) and Postgres."""
