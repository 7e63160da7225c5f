"""/config: the compatibility level, global and per subject."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from orderflow.registry import commands, errors
from orderflow.registry.compatibility import Level
from orderflow.registry.models import ConfigIn
from orderflow.registry.routes import http
from orderflow.registry.service import Registry

router = APIRouter(prefix="/config", default_response_class=http.RegistryJSON)
Reg = Annotated[Registry, Depends(http.registry)]


@router.get("")
async def get_global(reg: Reg) -> Any:
    return {"compatibilityLevel": (reg.store.config(None) or Level.BACKWARD).value}


@router.put("")
async def put_global(reg: Reg, request: Request) -> Any:
    return await _put(reg, request, None)


@router.delete("")
async def delete_global(reg: Reg) -> Any:
    previous = await reg.apply(lambda: commands.delete_config(reg.store, None))
    return {"compatibilityLevel": previous.value}


@router.get("/{subject}")
async def get_subject(reg: Reg, subject: str, defaultToGlobal: bool = False) -> Any:
    # The level in force is the subject's own when it has one, else the global one.
    level = reg.store.level(subject) if defaultToGlobal else reg.store.config(subject)
    if level is None:
        raise errors.compatibility_not_configured(subject)
    return {"compatibilityLevel": level.value}


@router.put("/{subject}")
async def put_subject(reg: Reg, request: Request, subject: str) -> Any:
    return await _put(reg, request, subject)


@router.delete("/{subject}")
async def delete_subject(reg: Reg, subject: str) -> Any:
    previous = await reg.apply(lambda: commands.delete_config(reg.store, subject))
    return {"compatibilityLevel": previous.value}


async def _put(reg: Reg, request: Request, subject: str | None) -> Any:
    payload = await http.body(request, ConfigIn, errors.invalid_compatibility_level())
    level = Level.parse(payload.level())
    await reg.apply(lambda: (commands.set_config(subject, level), None))
    return {"compatibility": level.value}
