"""/schemas: fetch by id (every deserializer's call) and the supported types."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from orderflow.registry.models import schema_body
from orderflow.registry.routes import http
from orderflow.registry.schemas import SUPPORTED_TYPES
from orderflow.registry.service import Registry

router = APIRouter(prefix="/schemas", default_response_class=http.RegistryJSON)
Reg = Annotated[Registry, Depends(http.registry)]


@router.get("/types")
async def types() -> list[str]:
    return [t.value for t in SUPPORTED_TYPES]


@router.get("/ids/{schema_id}")
async def get_schema(reg: Reg, schema_id: str, subject: str | None = None) -> Any:
    # subject only narrows the search in Confluent's multi-context registries;
    # with one context an id names one schema whichever subject is asked.
    # A Response as is skips FastAPI's jsonable_encoder: this is the hot read.
    return http.RegistryJSON(schema_body(reg.store.schema(http.schema_id(schema_id))))


@router.get("/ids/{schema_id}/schema")
async def get_raw_schema(reg: Reg, schema_id: str) -> Any:
    text = reg.store.schema(http.schema_id(schema_id)).text
    return Response(text, media_type=http.MEDIA_TYPE)


@router.get("/ids/{schema_id}/versions")
async def versions_of(reg: Reg, schema_id: str, deleted: bool = False) -> Any:
    uses = reg.store.uses(http.schema_id(schema_id), deleted)
    return [{"subject": e.subject, "version": e.version} for e in uses]


@router.get("/ids/{schema_id}/subjects")
async def subjects_of(reg: Reg, schema_id: str, deleted: bool = False) -> list[str]:
    return sorted({e.subject for e in reg.store.uses(http.schema_id(schema_id), deleted)})
