"""`orderflow asyncapi`: the system's AsyncAPI 3.0 document, as `GET /asyncapi.json` serves it."""

from __future__ import annotations

import json

import typer


def asyncapi() -> None:
    """Print the AsyncAPI 3.0 document of the topics, events and services, as JSON."""
    # Loaded here, not when the CLI is built: the dead letters' module loads confluent-kafka.
    from orderflow.events.asyncapi import asyncapi_document
    from orderflow.messaging.deadletters import DEAD_LETTER_TOPIC
    from orderflow.services import SERVICES

    typer.echo(json.dumps(asyncapi_document(SERVICES, DEAD_LETTER_TOPIC), indent=2))
