"""What every route shares: the registry at hand, bodies, versions, the media type."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from orderflow.registry import errors, media
from orderflow.registry.errors import ErrorCode, RegistryError
from orderflow.registry.service import Registry
from orderflow.registry.store import LATEST

# Every answer is written in the default type; negotiation.AnswerType relabels it.
MEDIA_TYPE = media.V1
MAX_VERSION = 2**31 - 1

_M = TypeVar("_M", bound=BaseModel)


class RegistryJSON(JSONResponse):
    media_type = MEDIA_TYPE


def registry(request: Request) -> Registry:
    found: Registry = request.app.state.registry
    return found


async def body(request: Request, model: type[_M], field_error: RegistryError) -> _M:
    """Parse the body ourselves, so bad JSON gets Confluent's answer, not FastAPI's.

    Its Content-Type was checked before the route ran (``negotiation``); all four
    that Confluent reads, or none, mean JSON, as they do to Confluent.
    """
    raw = await _capped_body(request, request.app.state.body_limit_bytes)
    try:
        data: Any = json.loads(raw)
    except (ValueError, RecursionError) as error:
        raise RegistryError(ErrorCode.BAD_REQUEST, f"Unrecognized JSON: {error}") from None
    if not isinstance(data, dict):
        raise RegistryError(ErrorCode.UNPROCESSABLE, "The request body must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError:
        raise field_error from None


async def _capped_body(request: Request, limit: int) -> bytes:
    """The body, read no further than ``limit`` bytes, whatever Content-Length claims."""
    too_large = RegistryError(
        ErrorCode.PAYLOAD_TOO_LARGE, f"Request body over {limit} bytes is not accepted"
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def version(raw: str) -> int:
    if raw == "latest" or raw == "-1":
        return LATEST
    try:
        number = int(raw)
    except ValueError:
        raise errors.invalid_version(raw) from None
    if not 1 <= number <= MAX_VERSION:
        raise errors.invalid_version(raw)
    return number


def schema_id(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise errors.schema_not_found() from None
