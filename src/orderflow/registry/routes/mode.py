"""/mode: READWRITE, READONLY or IMPORT, global and per subject."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from orderflow.registry import commands, errors
from orderflow.registry.models import ModeIn
from orderflow.registry.modes import DEFAULT_MODE, Mode
from orderflow.registry.routes import http
from orderflow.registry.service import Registry

router = APIRouter(prefix="/mode", default_response_class=http.RegistryJSON)
Reg = Annotated[Registry, Depends(http.registry)]


@router.get("")
async def get_global(reg: Reg) -> Any:
    return {"mode": (reg.store.mode_of(None) or DEFAULT_MODE).value}


@router.put("")
async def put_global(reg: Reg, request: Request, force: bool = False) -> Any:
    return await _put(reg, request, None, force)


@router.get("/{subject}")
async def get_subject(reg: Reg, subject: str, defaultToGlobal: bool = False) -> Any:
    # The mode in force is the subject's own when it has one, else the global one.
    mode = reg.store.mode(subject) if defaultToGlobal else reg.store.mode_of(subject)
    if mode is None:
        raise errors.mode_not_configured(subject)
    return {"mode": mode.value}


@router.put("/{subject}")
async def put_subject(reg: Reg, request: Request, subject: str, force: bool = False) -> Any:
    return await _put(reg, request, subject, force)


@router.delete("/{subject}")
async def delete_subject(reg: Reg, subject: str) -> Any:
    previous = await reg.apply(lambda: commands.delete_mode(reg.store, subject))
    return {"mode": previous.value}


async def _put(reg: Reg, request: Request, subject: str | None, force: bool) -> Any:
    payload = await http.body(request, ModeIn, errors.invalid_mode("missing"))
    mode = Mode.parse(payload.mode)
    await reg.apply(lambda: (commands.set_mode(reg.store, subject, mode, force), None))
    return {"mode": mode.value}
