"""/compatibility: would this schema be accepted under the subject's level?"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from orderflow.registry import commands, errors
from orderflow.registry.compatibility import Earlier, against, check
from orderflow.registry.models import SchemaIn
from orderflow.registry.routes import http
from orderflow.registry.service import Registry
from orderflow.registry.store import LATEST

router = APIRouter(prefix="/compatibility", default_response_class=http.RegistryJSON)
Reg = Annotated[Registry, Depends(http.registry)]
EMPTY = errors.invalid_schema("Empty schema")


@router.post("/subjects/{subject}/versions/{version}")
async def against_version(
    reg: Reg, request: Request, subject: str, version: str, verbose: bool = False
) -> Any:
    wanted = http.version(version)
    payload = await http.body(request, SchemaIn, EMPTY)
    store = reg.store
    if wanted == LATEST and not store.has_subject(subject):
        return _answer([], verbose)  # nothing registered yet: anything goes
    entry = store.entry(subject, wanted)
    candidate = commands.parse_for(store, payload.source(), payload.schema_type)
    earlier = [e for e in commands.history(store, subject) if e.version == entry.version]
    return _answer(check(candidate.avro, store.level(subject), earlier), verbose)


@router.post("/subjects/{subject}/versions")
async def against_all(reg: Reg, request: Request, subject: str, verbose: bool = False) -> Any:
    payload = await http.body(request, SchemaIn, EMPTY)
    store = reg.store
    candidate = commands.parse_for(store, payload.source(), payload.schema_type)
    level = store.level(subject)
    history: list[Earlier] = commands.history(store, subject)
    return _answer(check(candidate.avro, level, against(level, history)), verbose)


def _answer(reasons: list[str], verbose: bool) -> dict[str, Any]:
    answer: dict[str, Any] = {"is_compatible": not reasons}
    if verbose:
        answer["messages"] = reasons
    return answer
