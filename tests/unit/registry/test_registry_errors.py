from __future__ import annotations

import pytest

from orderflow.registry import errors
from orderflow.registry.errors import ErrorCode, RegistryError


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (ErrorCode.SUBJECT_NOT_FOUND, 404),
        (ErrorCode.VERSION_SOFT_DELETED, 404),
        (ErrorCode.INCOMPATIBLE_SCHEMA, 409),
        (ErrorCode.INVALID_SCHEMA, 422),
        (ErrorCode.OPERATION_NOT_PERMITTED, 422),
        (ErrorCode.UNPROCESSABLE, 422),
        (ErrorCode.BAD_REQUEST, 400),
        (ErrorCode.NOT_ACCEPTABLE, 406),
        (ErrorCode.UNSUPPORTED_MEDIA_TYPE, 415),
        (ErrorCode.STORE_ERROR, 500),
        (ErrorCode.OPERATION_TIMEOUT, 500),
    ],
)
def test_http_status_comes_from_the_code(code: ErrorCode, status: int) -> None:
    assert RegistryError(code, "m").http_status == status


def test_body_is_confluents_two_keys() -> None:
    assert errors.subject_not_found("s").body() == {
        "error_code": 40401,
        "message": "Subject 's' not found.",
    }


def test_every_code_maps_to_a_client_or_server_error() -> None:
    assert all(400 <= code.http_status < 600 for code in ErrorCode)
