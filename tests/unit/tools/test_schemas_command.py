"""`orderflow schemas list|show|check|diff` run as a user runs them, on our registry in memory.

The registry is the real app (orderflow.registry, on a MemoryLog) and the
client the real SchemaRegistryClient: only the socket between them is
replaced, by a transport that hands each request to the app. So the answers,
the error codes and the compatibility reasons are the registry's own, and the
README's walkthrough (examples/order_placed*.avsc) runs here first, in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient
from fastapi.testclient import TestClient

from orderflow.access import RegistryAccess
from orderflow.cli import main
from orderflow.registry.app import create_app
from orderflow.registry.log import MemoryLog
from orderflow.settings import Settings
from orderflow.stack.ports import free_ports
from orderflow.tools import schemas_registry
from orderflow.tools.avro import Registry
from orderflow.tools.schemas_registry import SubjectSchemas

ROOT = Path(__file__).resolve().parents[3]
V1 = "examples/order_placed.avsc"
V2 = "examples/order_placed_v2.avsc"
INCOMPATIBLE = "examples/order_placed_incompatible.avsc"
SUBJECT = "quickstart-avro-value"


def in_memory(app: TestClient, url: str) -> httpx2.Client:
    def forward(request: httpx2.Request) -> httpx2.Response:
        answer = app.request(
            request.method,
            request.url.raw_path.decode(),
            content=request.content,
            headers=dict(request.headers),
        )
        return httpx2.Response(answer.status_code, headers=answer.headers, content=answer.content)

    return httpx2.Client(base_url=url, transport=httpx2.MockTransport(forward))


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The registry app, which every `orderflow schemas` command of the test reaches."""
    monkeypatch.chdir(ROOT)  # the commands are given the README's relative paths
    with TestClient(create_app(Settings(), MemoryLog())) as app:

        def opened(access: RegistryAccess, timeout_s: float) -> SubjectSchemas:
            url = access.url
            assert url == Settings().registry_url  # the settings' registry, and no other
            tools_registry = Registry(access, timeout_s)
            # The client takes no transport: its session is where the app goes in.
            tools_registry.client._rest_client.session = in_memory(app, url)
            return SubjectSchemas(tools_registry, in_memory(app, url))

        monkeypatch.setattr(schemas_registry, "open_schemas", opened)
        yield app


def register(app: TestClient, subject: str, file: str) -> int:
    answer = app.post(f"/subjects/{subject}/versions", json={"schema": (ROOT / file).read_text()})
    assert answer.status_code == 200, answer.text
    schema_id: int = answer.json()["id"]
    return schema_id


def run(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, list[str]]:
    monkeypatch.setattr("sys.argv", ["orderflow", "schemas", *argv])
    with pytest.raises(SystemExit) as exited:
        main()
    code = exited.value.code
    out, err = capsys.readouterr()
    return (code if isinstance(code, int) else 1), out, err.splitlines()


def test_list_shows_each_subject_latest_version_id_and_level(
    registry: TestClient, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    register(registry, SUBJECT, V1)
    second = register(registry, SUBJECT, V2)
    register(registry, "OrderEventsTopic-value", "src/orderflow/events/OrderEventsTopic.avsc")
    registry.put("/config/OrderEventsTopic-value", json={"compatibility": "FULL"})

    code, out, err = run(["list"], monkeypatch, capsys)

    assert (code, err) == (0, [])
    assert [line.split() for line in out.splitlines()] == [
        ["SUBJECT", "VERSION", "ID", "COMPATIBILITY"],
        ["OrderEventsTopic-value", "1", "3", "FULL"],
        [SUBJECT, "2", str(second), "BACKWARD", "(global)"],
    ]


def test_list_of_an_empty_registry_says_so(
    registry: TestClient, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["list"], monkeypatch, capsys) == (
        0,
        f"no subjects registered at {Settings().registry_url}\n",
        [],
    )


def test_show_prints_a_version_as_indented_json(
    registry: TestClient, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first = register(registry, SUBJECT, V1)
    second = register(registry, SUBJECT, V2)

    latest = run(["show", SUBJECT], monkeypatch, capsys)
    old = run(["show", SUBJECT, "--version", "1"], monkeypatch, capsys)

    assert latest[0] == 0
    assert json.loads(latest[1]) == json.loads((ROOT / V2).read_text())
    assert latest[1].startswith('{\n  "type": "record",\n')
    assert latest[2] == [f"{SUBJECT} version 2 (id {second})"]
    assert json.loads(old[1]) == json.loads((ROOT / V1).read_text())
    assert old[2] == [f"{SUBJECT} version 1 (id {first})"]


def test_show_of_an_unknown_subject_or_version_is_one_line(
    registry: TestClient, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    register(registry, SUBJECT, V1)
    url = Settings().registry_url

    assert run(["show", "nope-value"], monkeypatch, capsys) == (
        1,
        "",
        [f"error: schema registry at {url}: Subject 'nope-value' not found."],
    )
    code, out, err = run(["show", SUBJECT, "--version", "9"], monkeypatch, capsys)
    assert (code, out, len(err)) == (1, "", 1)
    assert err[0].startswith(f"error: schema registry at {url}: Version 9 not found")
    assert run(["show", SUBJECT, "--version", "0"], monkeypatch, capsys)[0] == 2


def test_the_readme_walkthrough_field_with_default_accepted_without_refused(
    registry: TestClient, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first = register(registry, SUBJECT, V1)

    code, out, err = run(["check", V2, "--subject", SUBJECT], monkeypatch, capsys)
    assert (code, err) == (0, [])
    assert out == (
        f"{V2} is compatible with {SUBJECT} version 1 (id {first}) (BACKWARD): "
        "the registry would accept it\n"
    )

    second = register(registry, SUBJECT, V2)
    code, out, err = run(["check", INCOMPATIBLE, "--subject", SUBJECT], monkeypatch, capsys)
    assert (code, out) == (1, "")
    (line,) = err
    assert line.startswith(
        f"error: {INCOMPATIBLE} is not compatible with {SUBJECT} version 2 (id {second}) "
        "(BACKWARD): registering it would be refused (409): {errorType:'READER_FIELD_MISSING"
    )
    assert "additionalInfo:'coupon'" in line
    assert "oldSchema" not in line  # the reason only, not the question restated
    # A check registers nothing: what the registry would refuse, it does refuse.
    assert registry.get(f"/subjects/{SUBJECT}/versions").json() == [1, 2]
    refused = registry.post(
        f"/subjects/{SUBJECT}/versions", json={"schema": (ROOT / INCOMPATIBLE).read_text()}
    )
    assert (refused.status_code, refused.json()["error_code"]) == (409, 409)


def test_check_follows_the_subjects_own_level(
    registry: TestClient, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    register(registry, SUBJECT, V2)
    registry.put(f"/config/{SUBJECT}", json={"compatibility": "NONE"})

    code, out, _ = run(["check", INCOMPATIBLE, "--subject", SUBJECT], monkeypatch, capsys)

    assert code == 0
    assert "(NONE): the registry would accept it" in out


def test_check_without_subject_takes_the_files_name_as_its_topic(
    registry: TestClient, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    events = "src/orderflow/events/OrderEventsTopic.avsc"
    register(registry, "OrderEventsTopic-value", events)

    code, out, _ = run(["check", events], monkeypatch, capsys)

    assert code == 0
    assert out.startswith(f"{events} is compatible with OrderEventsTopic-value version 1")


def test_check_of_a_new_subject_says_anything_goes(
    registry: TestClient, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["check", INCOMPATIBLE, "--subject", "new-value"], monkeypatch, capsys) == (
        0,
        f"{INCOMPATIBLE}: nothing is registered under new-value yet, "
        "so the registry would accept it as version 1\n",
        [],
    )


def test_check_of_a_file_that_is_not_a_schema_is_one_line(
    registry: TestClient,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    register(registry, SUBJECT, V1)
    broken = tmp_path / "broken.avsc"
    broken.write_text('{"type": "record",')
    not_avro = tmp_path / "not_avro.avsc"
    not_avro.write_text('{"type": "recrod"}')
    missing = tmp_path / "missing.avsc"

    assert run(["check", str(broken), "--subject", SUBJECT], monkeypatch, capsys)[2] == [
        f"error: {broken} is not JSON: Expecting property name enclosed in double quotes (line 1)"
    ]
    code, _, err = run(["check", str(not_avro), "--subject", SUBJECT], monkeypatch, capsys)
    assert code == 1
    assert len(err) == 1
    assert "Invalid schema" in err[0]  # the registry's 422, in its words
    assert run(["check", str(missing), "--subject", SUBJECT], monkeypatch, capsys)[2] == [
        f"error: cannot read the schema {missing}: No such file or directory"
    ]


def test_diff_the_two_latest_versions_one_and_the_latest_or_any_two(
    registry: TestClient, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = [register(registry, SUBJECT, file) for file in (V1, V2)]
    incompatible = json.loads((ROOT / INCOMPATIBLE).read_text())
    registry.put(f"/config/{SUBJECT}", json={"compatibility": "NONE"})
    ids.append(register(registry, SUBJECT, INCOMPATIBLE))
    one, two, three = (f"{SUBJECT} version {n + 1} (id {i})" for n, i in enumerate(ids))
    assert incompatible["fields"][-1]["name"] == "coupon"

    assert run(["diff", SUBJECT], monkeypatch, capsys)[1].splitlines() == [
        f"{two} -> {three}",
        "+ coupon: string (no default)",
    ]
    assert run(["diff", SUBJECT, "1"], monkeypatch, capsys)[1].splitlines() == [
        f"{one} -> {three}",
        '+ channel: string (default "web")',
        "+ coupon: string (no default)",
    ]
    assert run(["diff", SUBJECT, "3", "1"], monkeypatch, capsys)[1].splitlines() == [
        f"{three} -> {one}",
        '- channel: string (default "web")',
        "- coupon: string (no default)",
    ]


def test_diff_the_latest_or_a_version_with_a_file(
    registry: TestClient, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first = register(registry, SUBJECT, V1)

    assert run(["diff", SUBJECT, "--file", V2], monkeypatch, capsys) == (
        0,
        f'{SUBJECT} version 1 (id {first}) -> {V2}\n+ channel: string (default "web")\n',
        [],
    )
    assert run(["diff", SUBJECT, "latest", "--file", V1], monkeypatch, capsys)[1].splitlines() == [
        f"{SUBJECT} version 1 (id {first}) -> {V1}",
        "no field or type changed",
    ]


def test_diff_needs_two_versions_and_a_file_that_is_avro(
    registry: TestClient,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    register(registry, SUBJECT, V1)
    not_avro = tmp_path / "not_avro.avsc"
    not_avro.write_text('{"type": "record", "name": "R", "fields": [{"type": "int"}]}')

    assert run(["diff", SUBJECT], monkeypatch, capsys) == (
        1,
        "",
        [f"error: {SUBJECT} has one version only (1); compare it with a file: --file FILE.avsc"],
    )
    code, out, err = run(["diff", SUBJECT, "--file", str(not_avro)], monkeypatch, capsys)
    assert (code, out, len(err)) == (1, "", 1)
    assert err[0].startswith(f"error: {not_avro} is not an Avro schema: ")
    # Both a second version and a file: a usage error, before the registry is asked.
    assert run(["diff", SUBJECT, "1", "2", "--file", V2], monkeypatch, capsys)[0] == 2


def test_a_registry_that_does_not_answer_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    [port] = free_ports(1)  # nothing listens there
    url = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("ORDERFLOW_REGISTRY_PORT", str(port))
    monkeypatch.chdir(ROOT)

    def without_retries(access: RegistryAccess, timeout_s: float) -> SubjectSchemas:
        given = access.url
        tools_registry = Registry(access, timeout_s)
        # Fail at once: the client's retries would make the test wait seconds for the same line.
        tools_registry.client = SchemaRegistryClient({"url": given, "max.retries": 0})
        return SubjectSchemas(tools_registry, httpx2.Client(base_url=given, timeout=timeout_s))

    monkeypatch.setattr(schemas_registry, "open_schemas", without_retries)
    unreachable = f"error: no schema registry answered at {url} ("

    for argv in (["list"], ["show", SUBJECT], ["check", V2], ["diff", SUBJECT]):
        code, out, err = run(argv, monkeypatch, capsys)
        assert (code, out, len(err)) == (1, "", 1), argv
        assert err[0].startswith(unreachable), argv
        assert err[0].endswith("is the stack up? (orderflow stack up)")


def test_a_registry_that_stops_answering_mid_check_is_one_line(
    registry: TestClient, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The one request made over HTTP here rather than by the client: the same line.
    register(registry, SUBJECT, V1)
    [port] = free_ports(1)
    url = Settings().registry_url
    dead = httpx2.Client(base_url=f"http://127.0.0.1:{port}")
    opened = schemas_registry.open_schemas

    def half_dead(given: RegistryAccess, timeout_s: float) -> SubjectSchemas:
        alive = opened(given, timeout_s)
        return SubjectSchemas(alive.registry, dead)

    monkeypatch.setattr(schemas_registry, "open_schemas", half_dead)

    code, _, err = run(["check", V2, "--subject", SUBJECT], monkeypatch, capsys)

    assert code == 1
    assert len(err) == 1
    assert err[0].startswith(f"error: no schema registry answered at {url} (")
