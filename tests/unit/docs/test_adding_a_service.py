"""docs/adding-a-service.md cannot rot: the code on the page is the code run here.

The page's ``python`` blocks whose first line names a file (``# notification/domain.py``)
are written, as they are, into a package under a temporary folder; the one import
path that differs (``orderflow.services.notification``, where a user would put it)
is renamed to that package. Then the service runs in the in-memory system beside
the four declared ones, the page's own test runs, and mypy checks it all. The
migration needs a Postgres to run, so it is only cross-checked as text against the
declaration, the store and the Settings field.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from orderflow.db.migrate import migration_names
from orderflow.events.ids import UserId
from orderflow.events.model import PaymentCompleted, PaymentDeclined
from orderflow.events.stamp import fresh_stamp
from orderflow.events.topics import ALL_TOPICS, PAYMENT_EVENTS
from orderflow.memory.system import MemorySystem
from orderflow.messaging.service import AnyService
from orderflow.services import CONSUMERS, SERVICES
from orderflow.services.payment.domain import PaymentsView
from orderflow.settings import Settings

ROOT = Path(__file__).resolve().parents[3]
PAGE = ROOT / "docs" / "adding-a-service.md"
WHERE_A_USER_PUTS_IT = "orderflow.services.notification"
PACKAGE = "notification_from_the_page"
EXAMPLE = {"service.py", "domain.py", "handlers.py", "store.py"}
PAGE_TEST = "tests/unit/services/test_notification.py"
MIGRATION = re.compile(r"db/migrations/(\d{4}_\w+\.sql)")

_FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
_NAMED = re.compile(r"^(?:#|--) (\S+\.(?:py|sql))$")


@dataclass(frozen=True)
class Block:
    language: str
    file: str | None  # what its first line names, if it names a file
    code: str


def page_blocks() -> list[Block]:
    found = []
    for language, code in _FENCE.findall(PAGE.read_text(encoding="utf-8")):
        named = _NAMED.match(code.splitlines()[0]) if code.strip() else None
        found.append(Block(language, named.group(1) if named else None, code))
    return found


def named(file: str) -> Block:
    [block] = [b for b in page_blocks() if b.file == file]
    return block


def migration() -> tuple[str, str]:
    """The migration's file name and its SQL."""
    [(name, block)] = [
        (m.group(1), b) for b in page_blocks() if b.file and (m := MIGRATION.fullmatch(b.file))
    ]
    return name, block.code


@dataclass(frozen=True)
class Example:
    folder: Path
    service: AnyService
    page_test: ModuleType
    settings: type[Settings]


def _new_settings_fields() -> list[ast.AnnAssign]:
    """The fields the page's ``settings.py`` block adds to ``Settings``."""
    [cls] = [n for n in ast.parse(named("settings.py").code).body if isinstance(n, ast.ClassDef)]
    added = [
        field
        for field in cls.body
        if isinstance(field, ast.AnnAssign)
        and isinstance(field.target, ast.Name)
        and field.target.id not in Settings.model_fields
    ]
    assert added, "the page adds no field to Settings"
    return added


def _settings_with_the_new_fields() -> type[Settings]:
    """``Settings`` as it is once a user has made step 5's change."""
    fields = "\n    ".join(ast.unparse(field) for field in _new_settings_fields())
    namespace: dict[str, Any] = {"Settings": Settings}
    exec(f"class PageSettings(Settings):\n    {fields}", namespace)
    page_settings: type[Settings] = namespace["PageSettings"]
    return page_settings


def _sql(code: str) -> str:
    """The string literals of ``code``, where its SQL is."""
    strings = [n.value for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Constant)]
    return "\n".join(s for s in strings if isinstance(s, str))


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Example]:
    folder = tmp_path_factory.mktemp("page")
    package = folder / PACKAGE
    package.mkdir()
    (package / "__init__.py").write_text('"""NotificationService, from the page."""\n')
    files = {b.file: b.code for b in page_blocks() if b.file and b.file.startswith("notification/")}
    assert {f.removeprefix("notification/") for f in files} == EXAMPLE
    files[PAGE_TEST] = named(PAGE_TEST).code
    for file, code in files.items():
        module = Path(file).name if file.startswith("notification/") else "test_notification.py"
        (package / module).write_text(code.replace(WHERE_A_USER_PUTS_IT, PACKAGE))
    sys.path.insert(0, str(folder))
    try:
        yield Example(
            folder=folder,
            service=import_module(f"{PACKAGE}.service").NOTIFICATION,
            page_test=import_module(f"{PACKAGE}.test_notification"),
            settings=_settings_with_the_new_fields(),
        )
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def _system(example: Example) -> MemorySystem:
    system = MemorySystem(example.settings(), services=(*CONSUMERS, example.service))
    payments: PaymentsView = system.state("payment")
    payments.balances[UserId("broke")] = 0
    return system


def _messages(system: MemorySystem) -> dict[str, str]:
    return {order: n.message for order, n in system.state("notification").notifications.items()}


def _declined_reason(system: MemorySystem) -> str:
    [declined] = [e for e in system.bus.events(PAYMENT_EVENTS) if isinstance(e, PaymentDeclined)]
    return declined.reason


def test_the_page_holds_the_example_and_every_python_block_parses() -> None:
    python = [b for b in page_blocks() if b.language == "python"]
    for block in python:
        ast.parse(block.code, block.file or "<page>")
    assert {b.file for b in python} >= {
        *(f"notification/{f}" for f in EXAMPLE),
        "services/__init__.py",
        "settings.py",
        PAGE_TEST,
    }


def test_one_notification_per_settled_payment_however_often_it_comes(example: Example) -> None:
    system = _system(example)
    paid = system.place("123", ["item1"])
    declined = system.place("broke", ["item1"])
    system.run_until_quiet()
    expected = {
        paid: "your order is paid",
        declined: f"your payment was declined: {_declined_reason(system)}",
    }
    assert _messages(system) == expected

    for running in system.running.values():
        running.source.rewind()  # every event again, with the same ids: the inbox drops them
    system.run_until_quiet()
    assert _messages(system) == expected

    # The same order's payment again, under a new id and a later time: the inbox
    # lets it through, and the decision itself says no (the first one stays).
    before = dict(system.state("notification").notifications)
    [completed] = [e for e in system.bus.events(PAYMENT_EVENTS) if isinstance(e, PaymentCompleted)]
    stamp = fresh_stamp()
    system.bus.publish([replace(completed, event_id=stamp.event_id, occurred_at=stamp.occurred_at)])
    system.run_until_quiet()
    assert system.state("notification").notifications == before
    assert system.dead_letters() == []


def test_the_service_emits_nothing_so_the_connector_needs_no_change(example: Example) -> None:
    def events_after_two_orders(system: MemorySystem) -> Counter[type]:
        system.place("123", ["item1"])
        system.place("broke", ["item1"])
        system.run_until_quiet()
        assert set(system.bus.topics) <= set(ALL_TOPICS)
        return Counter(type(e) for topic in ALL_TOPICS for e in system.bus.events(topic))

    without = MemorySystem(example.settings())
    payments: PaymentsView = without.state("payment")
    payments.balances[UserId("broke")] = 0
    assert events_after_two_orders(_system(example)) == events_after_two_orders(without)


def test_the_pages_own_test_passes(example: Example) -> None:
    tests: list[Callable[[], None]] = [
        getattr(example.page_test, name)
        for name in dir(example.page_test)
        if name.startswith("test_")
    ]
    assert tests, "the page's test module has no test"
    for test in tests:
        test()


def test_the_declaration_is_what_the_page_says(example: Example) -> None:
    service = example.service
    assert (service.name, service.schema, service.topics) == (
        "notification",
        "notification",
        (PAYMENT_EVENTS,),
    )
    assert service.consumes == {"PaymentCompleted", "PaymentDeclined"}
    clash = "a declared service has the example's name or group: rename the example"
    assert service.name not in {s.name for s in SERVICES}, clash
    assert service.group not in {s.group for s in CONSUMERS}, clash


def test_the_migration_creates_the_schema_tables_and_role_the_code_names(
    example: Example,
) -> None:
    name, sql = migration()
    taken = {n for n in migration_names() if n[:4] == name[:4]}
    assert taken <= {name}, f"{name}: its number is taken by {taken}; the page needs the next one"

    schema = example.service.schema
    assert f"CREATE SCHEMA IF NOT EXISTS {schema};" in sql
    created = dict(
        re.findall(rf"CREATE TABLE IF NOT EXISTS {schema}\.(\w+) (\(.*?\n?\));", sql, re.S)
    )
    assert {"inbox", "outbox"} <= set(created)
    store = _sql(named("notification/store.py").code)
    for table in set(re.findall(rf"\b{schema}\.(\w+)", store)):
        assert table in created, f"the store uses {schema}.{table}; the migration creates none"
        for columns in re.findall(rf"{schema}\.{table} \(([\w, ]+)\)", store):
            for column in columns.split(", "):
                assert re.search(rf"^\s+{column} ", created[table], re.M), f"{table}.{column}"

    role = example.service.role(example.settings())
    assert f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE" in sql
    assert f"GRANT USAGE ON SCHEMA {schema} TO {role};" in sql
    assert re.search(
        rf"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema}\s+TO {role};", sql
    )
    assert re.search(rf"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema}\s+GRANT .* TO {role};", sql)


def test_mypy_finds_no_error_but_the_settings_field_the_page_adds(
    example: Example, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The page's declaration reads a Settings field that src/ does not have (step 5
    # adds it), so that error is expected; any other is the page's. A few seconds,
    # with a cache of its own: it shares nothing with the tree's .mypy_cache.
    # In a process of its own: mypy raises the recursion limit of the process it
    # runs in, which would change what other tests' deep-nesting checks see.
    monkeypatch.setenv("MYPYPATH", str(example.folder))
    package = example.folder / PACKAGE
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(example.folder / ".mypy_cache"),
            str(package),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    out, err = checked.stdout, checked.stderr
    expected = {
        f'"Settings" has no attribute "{field.target.id}"'
        for field in _new_settings_fields()
        if isinstance(field.target, ast.Name)
    }
    errors = [
        line
        for line in out.splitlines()
        if ": error:" in line and not any(message in line for message in expected)
    ]
    assert errors == [], out + err
    assert f"{len(list(package.glob('*.py')))} source files" in out, out + err
