"""The services' image (Dockerfile, .dockerignore), checked without Docker.

Nothing is built here: no machine has an engine. What the build would do is
checked from its inputs: the base Python is one the project accepts, every
file it copies exists and is in the build context, the install is the
project's with its pins (and every package it would install is pinned, as the
virtualenv of the same Python resolved them), it runs as a user of its own,
and its command is a real `orderflow run`. Not checked: that the packages
download and install in the image, that `useradd` works there, or that the
services then reach Kafka, Postgres and the registry (see docker-compose.yml).
"""

from __future__ import annotations

import itertools
import json
import re
import shlex
import tomllib
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version
from typer.testing import CliRunner

from orderflow.cli import app
from orderflow.messaging import runtime
from orderflow.messaging.service import AnyService
from orderflow.services import SERVICES
from orderflow.settings import Settings

ROOT = Path(__file__).resolve().parents[3]
PYPROJECT: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())


def instructions(text: str) -> list[tuple[str, str]]:
    """(keyword, arguments) of each instruction: continued lines joined, comments dropped."""
    found = []
    pending = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1].rstrip() + " "
            continue
        keyword, _, arguments = (pending + stripped).partition(" ")
        found.append((keyword.upper(), arguments.strip()))
        pending = ""
    return found


DOCKERFILE = instructions((ROOT / "Dockerfile").read_text())


def arguments_of(keyword: str) -> list[str]:
    return [arguments for found, arguments in DOCKERFILE if found == keyword]


def index_of(keyword: str, containing: str = "") -> int:
    """Where the first ``keyword`` instruction whose arguments contain ``containing`` is."""
    for position, (found, arguments) in enumerate(DOCKERFILE):
        if found == keyword and containing in arguments:
            return position
    raise AssertionError(f"no {keyword} with {containing!r} in the Dockerfile")


def copied() -> list[str]:
    """The sources of every COPY, as paths in the build context."""
    sources = []
    for arguments in arguments_of("COPY"):
        *from_context, _destination = shlex.split(arguments)
        sources += [s.rstrip("/") for s in from_context if not s.startswith("--")]
    return sources


def test_the_instructions_are_read_as_docker_reads_them() -> None:
    text = '# a comment\nFROM x\n\nRUN a \\\n    && b\nCMD ["y"]\n'

    assert instructions(text) == [("FROM", "x"), ("RUN", "a && b"), ("CMD", '["y"]')]


def test_the_base_is_a_slim_python_the_project_accepts() -> None:
    (base,) = arguments_of("FROM")

    assert base == "python:3.11-slim"
    version = re.fullmatch(r"python:(\d+\.\d+)-slim", base)
    assert version is not None
    assert SpecifierSet(PYPROJECT["project"]["requires-python"]).contains(version.group(1))


def test_it_copies_what_pip_install_reads_and_only_files_that_exist() -> None:
    sources = copied()

    for source in sources:
        assert (ROOT / source).exists(), source
    assert {"pyproject.toml", "constraints.txt", PYPROJECT["project"]["readme"]} <= set(sources)
    assert set(PYPROJECT["tool"]["setuptools"]["packages"]["find"]["where"]) <= set(sources)


def test_pip_installs_the_project_alone_with_its_pins() -> None:
    install = index_of("RUN", "pip install")
    command = shlex.split(DOCKERFILE[install][1])

    assert command[:2] == ["pip", "install"]
    assert ("--constraint", "constraints.txt") in itertools.pairwise(command)
    # The project itself, without an extra: dev's and bench's tools stay out.
    assert [word for word in command[2:] if not word.startswith("-")] == ["constraints.txt", "."]
    assert index_of("COPY", "constraints.txt") < install
    assert index_of("COPY", "src") < install


def test_it_runs_as_a_user_it_creates_after_installing() -> None:
    (user,) = arguments_of("USER")
    created = index_of("RUN", "useradd")

    assert user not in {"root", "0"}
    assert shlex.split(DOCKERFILE[created][1])[-1] == user
    assert index_of("RUN", "pip install") < created < index_of("USER") < index_of("CMD")


def test_it_exposes_the_services_ports() -> None:
    (exposed,) = arguments_of("EXPOSE")

    assert {int(port) for port in exposed.split()} == {s.port(Settings()) for s in SERVICES}


def test_its_command_is_a_real_orderflow_run(monkeypatch: pytest.MonkeyPatch) -> None:
    (cmd,) = arguments_of("CMD")
    command = json.loads(cmd)  # the exec form: no shell between Docker's signals and us
    ran: list[AnyService] = []
    monkeypatch.setattr(runtime, "run_service", lambda service, _settings: ran.append(service))

    assert command[0] in PYPROJECT["project"]["scripts"]
    shown = CliRunner().invoke(app, command[1:])

    assert shown.exit_code == 0, shown.output
    assert [service.name for service in ran] == [command[2]]


# What .dockerignore keeps out, and what it must let in. Docker cleans each pattern,
# matches it against a path and the path's parents, and the last match decides.
OUT = [".venv/bin/python", ".git/HEAD", "tests/conftest.py", "bench/reports/run.json",
       "src/orderflow/__pycache__/cli.cpython-311.pyc", ".mypy_cache/3.11/x.json",
       "src/orderflow.egg-info/PKG-INFO"]  # fmt: skip


def _pattern(glob: str) -> re.Pattern[str]:
    parts = re.split(r"(\*\*/|\*\*|\*|\?)", glob)
    wild = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(wild.get(part, re.escape(part)) for part in parts))


def ignored(path: str) -> bool:
    verdict = False
    prefixes = ["/".join(path.split("/")[:n]) for n in range(1, path.count("/") + 2)]
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = _pattern(line.removeprefix("!").strip("/"))
        if any(pattern.fullmatch(prefix) for prefix in prefixes):
            verdict = not negated
    return verdict


@pytest.mark.parametrize("path", OUT)
def test_the_build_context_leaves_out_the_virtualenv_git_tests_and_caches(path: str) -> None:
    assert ignored(path)


def test_the_build_context_has_every_file_the_image_copies() -> None:
    for source in copied():
        files = [ROOT / source] if (ROOT / source).is_file() else (ROOT / source).rglob("*")
        for file in files:
            relative = file.relative_to(ROOT).as_posix()
            if file.is_file() and "__pycache__" not in relative and ".egg-info" not in relative:
                assert not ignored(relative), relative


def _pins() -> dict[NormalizedName, Version]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            requirement = Requirement(line)
            (pin,) = requirement.specifier
            assert pin.operator == "==", line
            pins[canonicalize_name(requirement.name)] = Version(pin.version)
    return pins


def _wanted(requirement: Requirement, extras: set[str]) -> bool:
    """Whether this Python (3.11, as the image's) on Linux installs it, with these extras."""
    marker = requirement.marker
    return marker is None or any(marker.evaluate({"extra": e}) for e in {"", *extras})


def resolve(pins: dict[NormalizedName, Version]) -> tuple[list[str], set[NormalizedName]]:
    """What `pip install --constraint constraints.txt .` installs, as far as the pins go:
    the runtime requirements followed through each package's own (the installed
    metadata, the pinned version's). The problems, and the packages reached."""
    problems = []
    extras_of: dict[NormalizedName, set[str]] = {}
    todo = [Requirement(line) for line in PYPROJECT["project"]["dependencies"]]
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{requirement} is not pinned")
            continue
        if not requirement.specifier.contains(pins[name], prereleases=True):
            problems.append(f"{requirement} does not admit the pin {pins[name]}")
        new = set(requirement.extras) - extras_of.get(name, set())
        if name in extras_of and not new:
            continue
        extras_of.setdefault(name, set()).update(requirement.extras)
        installed = Version(metadata.version(name))
        if installed != pins[name]:
            problems.append(f"{name} {installed} is installed, not the pin {pins[name]}")
            continue
        requires = [Requirement(line) for line in metadata.requires(name) or []]
        todo += [r for r in requires if _wanted(r, extras_of[name])]
    return problems, set(extras_of)


def test_every_package_the_image_installs_is_pinned_and_fits() -> None:
    problems, reached = resolve(_pins())

    assert problems == []
    # The extras' packages are followed (psycopg[binary], uvicorn[standard]); no tool's.
    assert {"fastapi", "confluent-kafka", "psycopg-binary", "uvloop"} <= reached
    assert not {"pytest", "mypy", "matplotlib", "aiohttp"} & reached


def test_a_package_without_a_pin_or_outside_its_range_is_a_problem() -> None:
    """The check above can fail: a pin missing, or one its dependant does not admit."""
    pins = _pins()
    del pins[canonicalize_name("uvloop")]
    pins[canonicalize_name("fastapi")] = Version("0.1")

    problems, _ = resolve(pins)

    assert any(p.startswith("uvloop") and p.endswith("is not pinned") for p in problems)
    assert any(p.startswith("fastapi") and "does not admit the pin 0.1" in p for p in problems)
