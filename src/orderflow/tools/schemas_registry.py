"""The Schema Registry as `orderflow schemas` reads it: subjects, versions, levels, checks.

Through confluent-kafka's SchemaRegistryClient wherever it has the call, its
failures made one line by ``tools.avro.Registry``. The one call it lacks is a
compatibility check that says why: its ``test_compatibility`` returns the
verdict and drops the registry's reasons, so that request goes over HTTP here,
with httpx2 (the client's own library, hence the same errors).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import quote

import httpx2
from confluent_kafka.schema_registry import RegisteredSchema, SchemaRegistryError

from orderflow.access import RegistryAccess
from orderflow.tools.avro import Registry
from orderflow.tools.errors import ToolError
from orderflow.tools.schemas_view import Level, Version

# Confluent's error codes (orderflow.registry.errors holds the registry's side).
SUBJECT_NOT_FOUND = 40401
VERSION_NOT_FOUND = 40402
SUBJECT_LEVEL_NOT_SET = 40408
_MEDIA = "application/vnd.schemaregistry.v1+json"
# As the client asks: any of the registry's three JSON types will do.
_ACCEPT = f"{_MEDIA}, application/vnd.schemaregistry+json, application/json"


@dataclass(frozen=True)
class Registered:
    """One version of a subject: its number, its schema's id and text."""

    subject: str
    version: int
    schema_id: int
    text: str


@dataclass(frozen=True)
class Verdict:
    compatible: bool
    messages: tuple[str, ...]
    """The registry's reasons, when it is not compatible."""


class SubjectSchemas:
    """Reads a registry's subjects and asks it about a candidate schema; closes with ``with``."""

    def __init__(self, registry: Registry, http: httpx2.Client) -> None:
        self.registry = registry
        self.url = registry.url
        self._client = registry.client
        self._http = http

    def __enter__(self) -> SubjectSchemas:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._http.close()
        self._client.close()

    def subjects(self) -> list[str]:
        with self.registry.errors():
            return list(self._client.get_subjects())

    def versions(self, subject: str) -> list[int]:
        with self.registry.errors():
            return sorted(self._client.get_versions(subject))

    def get(self, subject: str, version: Version) -> Registered:
        with self.registry.errors():
            found = self._client.get_version(subject, version.number or "latest")
        return _registered(subject, found)

    def latest(self, subject: str) -> Registered | None:
        """The latest version; None when nothing is registered under the subject."""
        with self.registry.errors():
            try:
                found = self._client.get_version(subject, "latest")
            except SchemaRegistryError as error:
                if error.error_code in (SUBJECT_NOT_FOUND, VERSION_NOT_FOUND):
                    return None
                raise
        return _registered(subject, found)

    def level(self, subject: str) -> Level:
        """The level in force: the subject's own, else the global one."""
        with self.registry.errors():
            try:
                return Level(self._client.get_compatibility(subject), own=True)
            except SchemaRegistryError as error:
                # Confluent's registry said 40401 for "no level of its own" before 40408.
                if error.error_code not in (SUBJECT_LEVEL_NOT_SET, SUBJECT_NOT_FOUND):
                    raise
            return Level(self._client.get_compatibility(), own=False)

    def check(self, subject: str, version: int, schema_text: str) -> Verdict:
        """Could ``schema_text`` be registered after ``version``, and if not, why (verbose)."""
        path = f"/compatibility/subjects/{quote(subject, safe='')}/versions/{version}"
        body = json.dumps({"schema": schema_text, "schemaType": "AVRO"})
        headers = {"Accept": _ACCEPT, "Content-Type": _MEDIA}
        with self.registry.errors():
            answer = self._http.post(
                path, params={"verbose": "true"}, content=body, headers=headers
            )
            document = _json(answer, self.url)
            if not answer.is_success:
                raise SchemaRegistryError(
                    answer.status_code,
                    document.get("error_code", -1),
                    document.get("message", answer.text),
                )
        compatible = document.get("is_compatible")
        if not isinstance(compatible, bool):
            raise ToolError(f"schema registry at {self.url} answered {answer.text[:200]!r}")
        messages = document.get("messages") or []
        return Verdict(compatible, tuple(str(message) for message in messages))


def open_schemas(access: RegistryAccess, timeout_s: float) -> SubjectSchemas:
    """The registry ``access`` names, each request waiting up to ``timeout_s``."""
    http = httpx2.Client(
        base_url=access.url, timeout=timeout_s, auth=access.auth, verify=access.verify
    )
    return SubjectSchemas(Registry(access, timeout_s), http)


def _registered(subject: str, found: RegisteredSchema) -> Registered:
    version, schema_id, text = found.version, found.schema_id, found.schema.schema_str
    if version is None or schema_id is None or text is None:
        raise ToolError(f"the registry's answer for {subject} lacks its version, id or schema")
    return Registered(found.subject or subject, version, schema_id, text)


def _json(answer: httpx2.Response, url: str) -> dict[str, Any]:
    try:
        document = answer.json()
    except ValueError:
        document = None
    if not isinstance(document, dict):
        raise ToolError(
            f"schema registry at {url} answered {answer.status_code} "
            f"with no JSON object: {answer.text[:200]!r}"
        )
    return document
