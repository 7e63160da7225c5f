"""``GET /asyncapi.json``: the system's AsyncAPI document, next to ``/openapi.json``."""

from __future__ import annotations

import json

from fastapi import APIRouter, Response

from orderflow.events.asyncapi import asyncapi_document
from orderflow.messaging.deadletters import DEAD_LETTER_TOPIC
from orderflow.services import SERVICES


def router() -> APIRouter:
    """A router serving the document, built here once: the declarations do not change."""
    body = json.dumps(asyncapi_document(SERVICES, DEAD_LETTER_TOPIC)).encode()
    # Out of the OpenAPI document, as /openapi.json itself is.
    served = APIRouter(include_in_schema=False)

    @served.get("/asyncapi.json")
    def asyncapi_json() -> Response:
        return Response(body, media_type="application/json")

    return served
