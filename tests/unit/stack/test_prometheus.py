"""Prometheus's scrape config, built from the components, and its command line."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from orderflow.settings import Settings
from orderflow.stack import prometheus
from orderflow.stack.components import (
    DASHBOARD,
    EVERYTHING,
    KAFKA,
    POSTGRES,
    PROMETHEUS,
    REGISTRY,
    SERVICES,
    STACK,
    VIEWS,
    Component,
    everything,
)
from orderflow.stack.errors import StackError
from orderflow.stack.layout import StateLayout
from orderflow.stack.scale import PORT_STEP

SETTINGS = Settings(
    state_dir=Path("/state"),
    kafka_metrics_port=19404,
    connect_metrics_port=19405,
    registry_port=18081,
    prometheus_port=19090,
)


def jobs(components: tuple[Component, ...]) -> dict[str, dict[str, object]]:
    config = prometheus.scrape_config(SETTINGS, components)
    scrape_configs = config["scrape_configs"]
    assert isinstance(scrape_configs, list)
    return {job["job_name"]: job for job in scrape_configs}


def test_every_component_with_a_metrics_url_is_a_job_at_that_url() -> None:
    found = jobs(EVERYTHING)
    serving = [c for c in EVERYTHING if c.metrics(SETTINGS) is not None]
    assert set(found) == {c.name for c in serving}
    for component in serving:
        url = urlsplit(component.metrics(SETTINGS) or "")
        job = found[component.name]
        assert job["static_configs"] == [{"targets": [url.netloc]}]
        assert job["metrics_path"] == url.path
        assert job["scheme"] == "http"


def test_the_instances_of_a_service_are_one_job_with_a_target_each() -> None:
    found = jobs(everything({"inventory": 3}))

    assert [name for name in found if name.startswith("inventory")] == ["inventory"]
    port = SETTINGS.inventory_port
    assert found["inventory"]["static_configs"] == [
        {"targets": [f"127.0.0.1:{port + n * PORT_STEP}" for n in range(3)]}
    ]
    assert found["shipping"]["static_configs"] == [
        {"targets": [f"127.0.0.1:{SETTINGS.shipping_port}"]}
    ]


def test_the_dashboard_is_not_scraped() -> None:
    """It serves no metrics: what it shows, it reads from Prometheus."""
    assert DASHBOARD.metrics(SETTINGS) is None
    assert DASHBOARD.name not in jobs(EVERYTHING)


def test_the_jvms_are_scraped_at_their_agents_ports() -> None:
    found = jobs(EVERYTHING)
    assert found["kafka"]["static_configs"] == [{"targets": ["127.0.0.1:19404"]}]
    assert found["connect"]["static_configs"] == [{"targets": ["127.0.0.1:19405"]}]
    assert found["prometheus"]["static_configs"] == [{"targets": ["127.0.0.1:19090"]}]


def test_a_component_without_metrics_is_no_job() -> None:
    assert POSTGRES.metrics(SETTINGS) is None
    assert POSTGRES.name not in jobs(EVERYTHING)
    silent = Component("silent", lambda s: 1234, lambda s: True)
    assert jobs((silent, REGISTRY)).keys() == {REGISTRY.name}


def test_a_job_takes_the_path_of_its_url() -> None:
    custom = Component(
        "custom", lambda s: 1, lambda s: True, metrics=lambda s: "http://10.0.0.1:7000/stats"
    )
    [job] = jobs((custom,)).values()
    assert job["metrics_path"] == "/stats"
    assert job["static_configs"] == [{"targets": ["10.0.0.1:7000"]}]


def test_the_jvms_are_scraped_less_often_and_no_scrape_outlasts_its_interval() -> None:
    found = jobs(EVERYTHING)
    assert found[KAFKA.name]["scrape_interval"] == "15s"
    assert found[REGISTRY.name]["scrape_interval"] == "5s"
    for job in found.values():
        interval, timeout = str(job["scrape_interval"]), str(job["scrape_timeout"])
        assert int(timeout.removesuffix("s")) < int(interval.removesuffix("s"))


def test_prepare_writes_the_config_as_json(tmp_path: Path) -> None:
    layout = StateLayout(tmp_path)
    prometheus.prepare(SETTINGS, layout, EVERYTHING)
    written = json.loads(layout.config(prometheus.CONFIG).read_text())
    assert written == prometheus.scrape_config(SETTINGS, EVERYTHING)
    assert layout.data(prometheus.NAME).is_dir()


def test_command_keeps_its_data_in_the_state_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prometheus, "find_binary", lambda: "/usr/bin/prometheus")
    layout = StateLayout(Path("/state"))
    command = prometheus.command(SETTINGS, layout)
    assert command[0] == "/usr/bin/prometheus"
    assert f"--config.file={layout.config(prometheus.CONFIG)}" in command
    assert "--storage.tsdb.path=/state/data/prometheus" in command
    assert "--web.listen-address=127.0.0.1:19090" in command
    assert "--storage.tsdb.retention.time=1d" in command


def test_a_missing_binary_names_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(StackError, match=r"apt-get install prometheus") as raised:
        prometheus.find_binary()
    assert raised.value.component == "prometheus"


def test_prometheus_is_part_of_the_stack_after_the_registry() -> None:
    assert STACK.index(PROMETHEUS) == STACK.index(REGISTRY) + 1
    assert EVERYTHING == STACK + SERVICES + VIEWS
    assert PROMETHEUS.port(SETTINGS) == 19090
    assert PROMETHEUS.metrics(SETTINGS) == "http://127.0.0.1:19090/metrics"
