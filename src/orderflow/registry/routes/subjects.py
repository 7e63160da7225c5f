"""/subjects: register, look up, list, fetch and delete versions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from orderflow.registry import commands, errors
from orderflow.registry.models import SchemaIn, version_body
from orderflow.registry.routes import http
from orderflow.registry.service import Registry

router = APIRouter(prefix="/subjects", default_response_class=http.RegistryJSON)
Reg = Annotated[Registry, Depends(http.registry)]
EMPTY = errors.invalid_schema("Empty schema")


@router.get("")
async def list_subjects(reg: Reg, deleted: bool = False, subjectPrefix: str = "") -> list[str]:
    return [s for s in reg.store.subjects(deleted) if s.startswith(subjectPrefix)]


@router.get("/{subject}/versions")
async def list_versions(reg: Reg, subject: str, deleted: bool = False) -> list[int]:
    return [e.version for e in reg.store.entries(subject, deleted)]


@router.get("/{subject}/versions/{version}")
async def get_version(reg: Reg, subject: str, version: str, deleted: bool = False) -> Any:
    entry = reg.store.entry(subject, http.version(version), deleted)
    return version_body(entry, reg.store.schema(entry.id))


@router.get("/{subject}/versions/{version}/schema")
async def get_version_schema(reg: Reg, subject: str, version: str, deleted: bool = False) -> Any:
    entry = reg.store.entry(subject, http.version(version), deleted)
    return Response(reg.store.schema(entry.id).text, media_type=http.MEDIA_TYPE)


@router.get("/{subject}/versions/{version}/referencedby")
async def referenced_by(reg: Reg, subject: str, version: str) -> list[int]:
    entry = reg.store.entry(subject, http.version(version))
    return reg.store.referenced_by(subject, entry.version)


@router.post("/{subject}/versions")
async def register(reg: Reg, request: Request, subject: str, normalize: bool = False) -> Any:
    # normalize is accepted for client compatibility; we always normalise.
    payload = await http.body(request, SchemaIn, EMPTY)
    registration = commands.Registration(
        subject, payload.source(), payload.schema_type, payload.id, payload.version
    )
    return {"id": await reg.register(registration)}


@router.post("/{subject}")
async def lookup(
    reg: Reg, request: Request, subject: str, deleted: bool = False, normalize: bool = False
) -> Any:
    payload = await http.body(request, SchemaIn, EMPTY)
    store = reg.store
    if not store.has_subject(subject, deleted):
        raise errors.subject_not_found(subject)
    parsed = commands.parse_for(store, payload.source(), payload.schema_type)
    entry = store.find(subject, parsed.identity, deleted)
    if entry is None:
        raise errors.schema_not_found()
    return http.RegistryJSON(version_body(entry, store.schema(entry.id)))


@router.delete("/{subject}")
async def delete_subject(reg: Reg, subject: str, permanent: bool = False) -> list[int]:
    return await reg.delete_subject(subject, permanent)


@router.delete("/{subject}/versions/{version}")
async def delete_version(reg: Reg, subject: str, version: str, permanent: bool = False) -> int:
    return await reg.delete_version(subject, http.version(version), permanent)
