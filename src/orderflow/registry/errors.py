"""Confluent's error codes, and the one exception that carries them to HTTP.

Clients (the confluent-kafka ``SchemaRegistryClient``, Karapace-aware tools,
shell scripts) branch on ``error_code``, so the numbers and HTTP statuses here
are Confluent's, not ours to choose.
"""

from __future__ import annotations

from enum import IntEnum


class ErrorCode(IntEnum):
    SUBJECT_NOT_FOUND = 40401
    VERSION_NOT_FOUND = 40402
    SCHEMA_NOT_FOUND = 40403
    SUBJECT_SOFT_DELETED = 40404
    SUBJECT_NOT_SOFT_DELETED = 40405
    VERSION_SOFT_DELETED = 40406
    VERSION_NOT_SOFT_DELETED = 40407
    SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408
    SUBJECT_MODE_NOT_CONFIGURED = 40409
    INCOMPATIBLE_SCHEMA = 409
    INVALID_SCHEMA = 42201
    INVALID_VERSION = 42202
    INVALID_COMPATIBILITY_LEVEL = 42203
    INVALID_MODE = 42204
    OPERATION_NOT_PERMITTED = 42205
    REFERENCE_EXISTS = 42206
    ID_DOES_NOT_MATCH = 42207
    INVALID_SUBJECT = 42208
    UNPROCESSABLE = 422
    BAD_REQUEST = 400
    NOT_FOUND = 404
    METHOD_NOT_ALLOWED = 405
    NOT_ACCEPTABLE = 406
    PAYLOAD_TOO_LARGE = 413
    UNSUPPORTED_MEDIA_TYPE = 415
    STORE_ERROR = 50001
    OPERATION_TIMEOUT = 50002

    @property
    def http_status(self) -> int:
        # Five-digit codes start with their HTTP status; 409/422/400/404 are bare.
        return int(str(self.value)[:3])


class RegistryError(Exception):
    """Anything the registry refuses, answered as ``{"error_code", "message"}``."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def http_status(self) -> int:
        return self.code.http_status

    def body(self) -> dict[str, int | str]:
        return {"error_code": int(self.code), "message": self.message}


def subject_not_found(subject: str) -> RegistryError:
    return RegistryError(ErrorCode.SUBJECT_NOT_FOUND, f"Subject '{subject}' not found.")


def version_not_found(version: int | str) -> RegistryError:
    return RegistryError(ErrorCode.VERSION_NOT_FOUND, f"Version {version} not found.")


def schema_not_found(schema_id: int | None = None) -> RegistryError:
    what = "Schema not found" if schema_id is None else f"Schema {schema_id} not found"
    return RegistryError(ErrorCode.SCHEMA_NOT_FOUND, what)


# Avro's parser may quote the whole offending schema back; a hostile one can be
# hundreds of kilobytes, which belong neither in a response nor in a log.
_DETAIL_LIMIT = 500


def invalid_schema(detail: str) -> RegistryError:
    if len(detail) > _DETAIL_LIMIT:
        detail = detail[:_DETAIL_LIMIT] + "..."
    return RegistryError(ErrorCode.INVALID_SCHEMA, f"Invalid schema: {detail}")


def invalid_version(raw: str) -> RegistryError:
    return RegistryError(
        ErrorCode.INVALID_VERSION,
        f"The specified version '{raw}' is not a valid version id. Allowed values are "
        'between [1, 2^31-1] and the string "latest"',
    )


def invalid_compatibility_level() -> RegistryError:
    return RegistryError(
        ErrorCode.INVALID_COMPATIBILITY_LEVEL,
        "Invalid compatibility level. Valid values are none, backward, forward, full, "
        "backward_transitive, forward_transitive, and full_transitive",
    )


def invalid_mode(raw: str) -> RegistryError:
    return RegistryError(
        ErrorCode.INVALID_MODE,
        f"Invalid mode '{raw}'. Valid values are READWRITE, READONLY and IMPORT",
    )


def compatibility_not_configured(subject: str) -> RegistryError:
    return RegistryError(
        ErrorCode.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
        f"Subject '{subject}' does not have subject-level compatibility configured",
    )


def mode_not_configured(subject: str) -> RegistryError:
    return RegistryError(
        ErrorCode.SUBJECT_MODE_NOT_CONFIGURED,
        f"Subject '{subject}' does not have subject-level mode configured",
    )


def not_permitted(message: str) -> RegistryError:
    return RegistryError(ErrorCode.OPERATION_NOT_PERMITTED, message)


# Jersey's own messages, which rest-utils passes on with the HTTP status as the code.
def not_acceptable() -> RegistryError:
    return RegistryError(ErrorCode.NOT_ACCEPTABLE, "HTTP 406 Not Acceptable")


def unsupported_media_type() -> RegistryError:
    return RegistryError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "HTTP 415 Unsupported Media Type")
