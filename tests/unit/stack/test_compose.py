"""docker-compose.yml, checked without Docker: no machine here has an engine.

Valid against the Compose Specification's JSON schema (vendored beside this
file, compose_spec/README.md says from where), and saying what the launcher
and the settings say: every part has a health check and is waited for by what
depends on it, data lives in named volumes, the ports are our defaults on
loopback, and the four services are the declared ones, from one image.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft201909Validator
from typer.testing import CliRunner

from orderflow.cli import app
from orderflow.messaging import runtime
from orderflow.messaging.service import AnyService
from orderflow.services import SERVICES
from orderflow.settings import Settings, load_settings
from orderflow.stack.connector import outbox_connector

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = Path(__file__).parent / "compose_spec" / "compose-spec.json"
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES_OF_COMPOSE: dict[str, dict[str, Any]] = COMPOSE["services"]
DEFAULTS = Settings()
DECLARED = {service.name: service for service in SERVICES}
# Go's time.Duration syntax, which Compose parses a health check's times with.
DURATION = re.compile(r"(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+")


def validator() -> Draft201909Validator:
    schema = json.loads(SCHEMA.read_text())
    # The top-level `name`, which this copy predates: as the specification has it now.
    schema["properties"]["name"] = {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"}
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema)


def test_the_file_is_valid_against_the_compose_specification() -> None:
    problems = [f"{e.json_path}: {e.message}" for e in validator().iter_errors(COMPOSE)]

    assert problems == []


def _misspelt_interval(document: dict[str, Any]) -> None:
    document["services"]["kafka"]["healthcheck"]["intervall"] = "5s"


def _unknown_condition(document: dict[str, Any]) -> None:
    document["services"]["connect"]["depends_on"]["kafka"]["condition"] = "service_ready"


def _unknown_service_key(document: dict[str, Any]) -> None:
    document["services"]["order"]["dependson"] = ["kafka"]


def _name_with_capitals(document: dict[str, Any]) -> None:
    document["name"] = "OrderFlow"


@pytest.mark.parametrize(
    "spoil", [_misspelt_interval, _unknown_condition, _unknown_service_key, _name_with_capitals]
)
def test_the_schema_refuses_what_compose_would(spoil: Any) -> None:
    """The check above can fail: each of these mistakes is an error to it."""
    spoilt = copy.deepcopy(COMPOSE)
    spoil(spoilt)

    assert not validator().is_valid(spoilt)


@pytest.mark.parametrize("name", sorted(SERVICES_OF_COMPOSE))
def test_every_service_has_a_health_check_in_exec_form(name: str) -> None:
    check = SERVICES_OF_COMPOSE[name]["healthcheck"]

    assert check["test"][0] == "CMD"
    assert len(check["test"]) > 1
    for field in ("interval", "timeout", "start_period"):
        assert DURATION.fullmatch(check[field]), f"{name}: {field} {check[field]!r}"
    assert check["retries"] >= 1


@pytest.mark.parametrize("name", sorted(SERVICES_OF_COMPOSE))
def test_every_dependency_is_waited_for_until_healthy(name: str) -> None:
    service = SERVICES_OF_COMPOSE[name]
    depends_on = service.get("depends_on", {})

    assert isinstance(depends_on, dict), f"{name}: a list of names waits for nothing"
    for target, condition in depends_on.items():
        assert condition == {"condition": "service_healthy"}, f"{name} -> {target}"
        assert "healthcheck" in SERVICES_OF_COMPOSE[target]
        # A dependency in a profile the dependent lacks would not be started for it.
        assert set(SERVICES_OF_COMPOSE[target].get("profiles", [])) <= set(
            service.get("profiles", [])
        )


def test_the_infrastructure_and_its_dependencies() -> None:
    dependencies = {
        name: set(service.get("depends_on", {})) for name, service in SERVICES_OF_COMPOSE.items()
    }

    assert dependencies["postgres"] == dependencies["kafka"] == set()
    assert dependencies["connect"] == {"kafka", "postgres"}
    assert dependencies["schema-registry"] == {"kafka"}
    for name in DECLARED:
        assert dependencies[name] == {"postgres", "kafka", "schema-registry"}


def _mounts(name: str) -> dict[str, str]:
    """A service's mounts, target to source."""
    mounts = {}
    for volume in SERVICES_OF_COMPOSE[name].get("volumes", []):
        source, target = volume.split(":")
        mounts[target] = source
    return mounts


def test_data_lives_in_named_volumes() -> None:
    declared = set(COMPOSE["volumes"])
    kafka_logs = SERVICES_OF_COMPOSE["kafka"]["environment"]["KAFKA_LOG_DIRS"]

    assert _mounts("postgres") == {"/var/lib/postgresql/data": "postgres-data"}
    # Where Kafka writes its log is where its volume is.
    assert _mounts("kafka") == {kafka_logs: "kafka-data"}
    used = {source for name in SERVICES_OF_COMPOSE for source in _mounts(name).values()}
    assert used == declared


def _published(name: str) -> list[tuple[str, int, int]]:
    """A service's published ports: (host address, host port, container port)."""
    published = []
    for mapping in SERVICES_OF_COMPOSE[name].get("ports", []):
        address, host_port, container_port = mapping.split(":")
        published.append((address, int(host_port), int(container_port)))
    return published


def test_the_published_ports_are_our_defaults_on_loopback() -> None:
    # Nothing here has authentication: loopback only, as the launcher listens.
    assert _published("postgres") == [("127.0.0.1", DEFAULTS.postgres_port, 5432)]
    assert _published("kafka") == [("127.0.0.1", DEFAULTS.kafka_port, DEFAULTS.kafka_port)]
    assert _published("connect") == [("127.0.0.1", DEFAULTS.connect_port, 8083)]
    assert _published("schema-registry") == [("127.0.0.1", DEFAULTS.registry_port, 8081)]
    for name, service in DECLARED.items():
        port = service.port(DEFAULTS)
        assert _published(name) == [("127.0.0.1", port, port)]


def _listeners(variable: str) -> dict[str, str]:
    """Kafka's listeners of ``variable``, name to host:port."""
    value = SERVICES_OF_COMPOSE["kafka"]["environment"][variable]
    return dict(listener.split("://") for listener in value.split(","))


def test_kafka_advertises_what_each_client_reaches() -> None:
    listeners = _listeners("KAFKA_LISTENERS")
    advertised = _listeners("KAFKA_ADVERTISED_LISTENERS")
    internal = advertised["INTERNAL"]

    # The host's clients (attach, the services run on the host) at the published port.
    assert advertised["HOST"] == f"127.0.0.1:{DEFAULTS.kafka_port}"
    assert listeners["HOST"] == f"0.0.0.0:{DEFAULTS.kafka_port}"
    # The containers at the service's name, on the listener each is given.
    assert internal == f"kafka:{listeners['INTERNAL'].split(':')[1]}"
    assert SERVICES_OF_COMPOSE["connect"]["environment"]["BOOTSTRAP_SERVERS"] == internal
    registry = SERVICES_OF_COMPOSE["schema-registry"]["environment"]
    assert registry["SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS"] == internal
    service_env = SERVICES_OF_COMPOSE["order"]["environment"]
    assert service_env["ORDERFLOW_KAFKA_PORT"] == listeners["INTERNAL"].split(":")[1]
    assert service_env["ORDERFLOW_POSTGRES_PORT"] == str(_published("postgres")[0][2])


def test_the_connector_reaches_postgres_as_the_header_says() -> None:
    """ORDERFLOW_CONNECTOR_DATABASE_HOST=postgres: a service here, on the port inside."""
    _, config = outbox_connector(Settings(connector_database_host="postgres"))

    assert config["database.hostname"] in SERVICES_OF_COMPOSE
    assert int(config["database.port"]) == _published("postgres")[0][2]


def test_every_orderflow_variable_is_a_setting() -> None:
    """A misspelt ORDERFLOW_* would be ignored (Settings has extra="ignore"), silently."""
    for name, service in SERVICES_OF_COMPOSE.items():
        environment: dict[str, str] = service.get("environment", {})
        fields = {
            key.removeprefix("ORDERFLOW_").lower(): value
            for key, value in environment.items()
            if key.startswith("ORDERFLOW_")
        }
        assert set(fields) <= set(Settings.model_fields), name
        load_settings(**fields)  # valid values too: SettingsError names the variable


def test_the_four_services_are_the_declared_ones_from_one_image() -> None:
    built = {name: s for name, s in SERVICES_OF_COMPOSE.items() if "build" in s}

    assert set(built) == set(DECLARED)
    assert {json.dumps([s["build"], s["image"]]) for s in built.values()} == {
        json.dumps([{"context": ".", "dockerfile": "Dockerfile"}, "orderflow:local"])
    }
    assert (ROOT / "Dockerfile").is_file()


@pytest.mark.parametrize("name", sorted(DECLARED))
def test_each_service_runs_itself_and_is_healthy_when_ready(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = SERVICES_OF_COMPOSE[name]
    ran: list[AnyService] = []
    monkeypatch.setattr(runtime, "run_service", lambda declared, _settings: ran.append(declared))

    command = service["command"]
    assert command[:2] == ["orderflow", "run"]
    shown = CliRunner().invoke(app, command[1:])

    assert shown.exit_code == 0, shown.output
    assert ran == [DECLARED[name]]
    port = DECLARED[name].port(DEFAULTS)
    assert f"'http://127.0.0.1:{port}/readyz'" in service["healthcheck"]["test"][-1]


def test_a_service_name_that_is_not_declared_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: `orderflow run` takes a declared name only."""
    monkeypatch.setattr(runtime, "run_service", lambda *_: pytest.fail("ran"))

    shown = CliRunner().invoke(app, ["run", "shipment"])

    assert shown.exit_code == 2
