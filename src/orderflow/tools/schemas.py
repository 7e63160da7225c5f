"""`orderflow schemas list|show|check|diff`: the Schema Registry's subjects, and a schema evolving.

``check`` asks the registry whether a new version of a schema would be accepted
under the subject's compatibility level (BACKWARD unless set otherwise), and
why not; ``diff`` shows which fields a new version adds, removes or changes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from orderflow.events.wire import subject_for
from orderflow.tools.errors import ToolError
from orderflow.tools.schemas_diff import change_lines, schema_changes
from orderflow.tools.schemas_view import (
    LATEST,
    SubjectRow,
    Version,
    compatible_line,
    diff_title,
    first_version_line,
    incompatible_line,
    parse_version,
    pretty,
    shown_version,
    subject_table,
)

if TYPE_CHECKING:
    from orderflow.settings import Settings
    from orderflow.tools.schemas_registry import Registered, SubjectSchemas

schemas_app = typer.Typer(
    help="The Schema Registry's subjects: list, show, check a new version, diff two.",
    no_args_is_help=True,
)

Timeout = Annotated[
    float,
    typer.Option("--timeout", min=0.1, help="Seconds to wait for each answer from the registry."),
]
Subject = Annotated[str, typer.Argument(help="A subject, as <topic>-value.")]


def _open(ctx: typer.Context, timeout_s: float) -> SubjectSchemas:
    # The registry client (httpx2, confluent-kafka's registry) loads when a command runs.
    from orderflow.access import registry_access
    from orderflow.tools import schemas_registry

    settings: Settings = ctx.obj
    return schemas_registry.open_schemas(registry_access(settings), timeout_s)


def _read_schema(file: Path) -> tuple[str, Any]:
    """The file's text, as sent to the registry, and its JSON; a ToolError if it is neither."""
    try:
        text = file.read_text()
    except OSError as error:
        raise ToolError(f"cannot read the schema {file}: {error.strerror}") from None
    try:
        return text, json.loads(text)
    except json.JSONDecodeError as error:
        raise ToolError(f"{file} is not JSON: {error.msg} (line {error.lineno})") from None


@schemas_app.command("list")
def list_subjects(ctx: typer.Context, timeout: Timeout = 10.0) -> None:
    """Subjects, their latest version and id, compatibility."""
    with _open(ctx, timeout) as schemas:
        rows = []
        for subject in schemas.subjects():
            latest = schemas.latest(subject)
            if latest is not None:  # every version deleted since the list was read
                rows.append(
                    SubjectRow(subject, latest.version, latest.schema_id, schemas.level(subject))
                )
        url = schemas.url
    if not rows:
        typer.echo(f"no subjects registered at {url}")
        return
    for line in subject_table(rows):
        typer.echo(line)


@schemas_app.command()
def show(
    ctx: typer.Context,
    subject: Subject,
    version: Annotated[
        Version,
        typer.Option("--version", parser=parse_version, metavar="N|latest", help="Which version."),
    ] = LATEST,
    timeout: Timeout = 10.0,
) -> None:
    """A version's schema, as indented JSON (version and id on stderr)."""
    with _open(ctx, timeout) as schemas:
        found = schemas.get(subject, version)
    typer.echo(pretty(found.text))
    typer.echo(shown_version(found.subject, found.version, found.schema_id), err=True)


@schemas_app.command()
def check(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The new version, an .avsc file.")],
    subject: Annotated[
        str | None,
        typer.Option(
            "--subject", help="Where it would go; default: <file name>-value, as the events' .avsc."
        ),
    ] = None,
    timeout: Timeout = 10.0,
) -> None:
    """Would the registry accept FILE? Exit 1 if not, and why.

    FILE is checked against the subject's latest version, under the subject's
    compatibility level; under a *_TRANSITIVE level, registering checks every version.
    """
    text, _ = _read_schema(file)
    subject = subject or subject_for(file.stem)
    with _open(ctx, timeout) as schemas:
        latest = schemas.latest(subject)
        if latest is None:
            typer.echo(first_version_line(str(file), subject))
            return
        verdict = schemas.check(subject, latest.version, text)
        level = schemas.level(subject)
    checked = shown_version(subject, latest.version, latest.schema_id)
    if not verdict.compatible:
        raise ToolError(incompatible_line(str(file), checked, level, verdict.messages))
    typer.echo(compatible_line(str(file), checked, level))


VersionArgument = Annotated[
    Version | None,
    typer.Argument(parser=parse_version, show_default=False, help="A version number, or latest."),
]


@schemas_app.command()
def diff(
    ctx: typer.Context,
    subject: Subject,
    old: VersionArgument = None,
    new: VersionArgument = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Compare OLD (default: latest) with this .avsc.")
    ] = None,
    timeout: Timeout = 10.0,
) -> None:
    """Fields added, removed or changed between two versions.

    Without versions: the two latest. OLD alone: OLD to the latest. With --file:
    OLD (default: the latest) to the file.
    """
    if file is not None and new is not None:
        ctx.fail("give two versions, or one and --file, not both")
    candidate = _read_avro(file) if file is not None else None
    with _open(ctx, timeout) as schemas:
        if file is not None:
            before = schemas.get(subject, old or LATEST)
            after_label, after_document = str(file), candidate
        else:
            before, after = (
                _two_latest(schemas, subject)
                if old is None
                else (schemas.get(subject, old), schemas.get(subject, new or LATEST))
            )
            after_label = shown_version(after.subject, after.version, after.schema_id)
            after_document = json.loads(after.text)
    typer.echo(
        diff_title(shown_version(before.subject, before.version, before.schema_id), after_label)
    )
    for line in change_lines(schema_changes(json.loads(before.text), after_document)):
        typer.echo(line)


def _read_avro(file: Path) -> Any:
    """The file's JSON, once Avro has parsed it (the diff takes a schema as valid)."""
    import avro.schema  # loads only for a diff with a file

    text, document = _read_schema(file)
    try:
        avro.schema.parse(text)
    except Exception as error:
        # avro raises its SchemaParseException, and json's or its own errors inside it.
        raise ToolError(f"{file} is not an Avro schema: {error}") from None
    return document


def _two_latest(schemas: SubjectSchemas, subject: str) -> tuple[Registered, Registered]:
    versions = schemas.versions(subject)
    if len(versions) < 2:
        raise ToolError(
            f"{subject} has one version only ({versions[0] if versions else 'none'}); "
            "compare it with a file: --file FILE.avsc"
        )
    return schemas.get(subject, Version(versions[-2])), schemas.get(subject, Version(versions[-1]))
