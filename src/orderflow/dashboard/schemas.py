"""The registry's subjects, every version of each with its schema (``orderflow schemas``)."""

from __future__ import annotations

import asyncio
import json

from fastapi import APIRouter

from orderflow.access import RegistryAccess, registry_access
from orderflow.dashboard.errors import Unavailable
from orderflow.dashboard.state import SettingsDep
from orderflow.tools.errors import ToolError
from orderflow.tools.schemas_registry import open_schemas
from orderflow.tools.schemas_view import Version

router = APIRouter(prefix="/api/schemas", tags=["schemas"])

TIMEOUT_S = 5.0


def parsed(text: str) -> object:
    """The schema as JSON data, for the page to indent; as text if it is not JSON."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def subjects_document(registry: RegistryAccess, timeout_s: float) -> list[dict[str, object]]:
    with open_schemas(registry, timeout_s) as schemas:
        subjects: list[dict[str, object]] = []
        for subject in sorted(schemas.subjects()):
            versions = [schemas.get(subject, Version(n)) for n in schemas.versions(subject)]
            subjects.append(
                {
                    "subject": subject,
                    "versions": [
                        {"version": v.version, "id": v.schema_id, "schema": parsed(v.text)}
                        for v in versions
                    ],
                }
            )
        return subjects


@router.get("")
async def schemas(settings: SettingsDep) -> dict[str, object]:
    # The registry's client is sync (confluent-kafka's): in a thread.
    try:
        subjects = await asyncio.to_thread(subjects_document, registry_access(settings), TIMEOUT_S)
    except ToolError as error:
        raise Unavailable(503, "registry_unavailable", str(error)) from None
    return {"subjects": subjects}
