"""The OrderService HTTP API (FastAPI): one router per resource, models, error mapping."""
