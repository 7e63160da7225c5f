"""What cannot start fails early with one line naming the component, never a traceback."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from orderflow.settings import Settings
from orderflow.stack import artifacts
from orderflow.stack.errors import StackError
from orderflow.stack.isolated import isolated_settings, open_state_dir
from orderflow.stack.launcher import Launcher
from orderflow.stack.layout import StateLayout


@pytest.fixture
def settings() -> Iterator[Settings]:
    state_dir = open_state_dir()
    yield isolated_settings(state_dir)
    shutil.rmtree(state_dir, ignore_errors=True)


def test_port_in_use_names_the_component_and_the_port(settings: Settings) -> None:
    with socket.socket() as squatter:
        squatter.bind((settings.host, settings.kafka_port))
        squatter.listen()
        with pytest.raises(StackError) as raised:
            Launcher(settings).up()
    assert raised.value.component == "kafka"
    assert str(settings.kafka_port) in raised.value.problem
    assert "ORDERFLOW_KAFKA_PORT" in raised.value.problem


def test_metrics_port_in_use_is_named_before_the_jvm_starts(settings: Settings) -> None:
    """Its agent would end the broker's JVM with no word of the port."""
    with socket.socket() as squatter:
        squatter.bind((settings.host, settings.kafka_metrics_port))
        squatter.listen()
        with pytest.raises(StackError) as raised:
            Launcher(settings).up()
    assert raised.value.component == "kafka"
    assert str(settings.kafka_metrics_port) in raised.value.problem
    assert "ORDERFLOW_KAFKA_METRICS_PORT" in raised.value.problem


def test_missing_prometheus_is_named_before_anything_starts(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    artifacts.resolve(settings.cache_dir)  # with Maven on PATH, as `make setup` has done
    java_only = tmp_path / "bin"
    java_only.mkdir()
    real_java = shutil.which("java")
    assert real_java, "java must be installed for this test"
    (java_only / "java").symlink_to(Path(os.path.realpath(real_java)))
    monkeypatch.setenv("PATH", str(java_only))
    launcher = Launcher(settings)
    with pytest.raises(StackError, match=r"apt-get install prometheus") as raised:
        launcher.up()
    assert raised.value.component == "prometheus"
    assert not launcher.layout.pid_file("postgres").exists()


def test_missing_java_is_named(settings: Settings) -> None:
    settings = settings.model_copy(update={"java": "/nowhere/java"})
    with pytest.raises(StackError, match="no Java runtime found") as raised:
        Launcher(settings).up()
    assert raised.value.component == "java"


def test_old_java_is_refused(settings: Settings, tmp_path: Path) -> None:
    old_java = tmp_path / "java"
    old_java.write_text("#!/bin/sh\necho 'java version \"1.8.0_392\"' >&2\n")
    old_java.chmod(0o755)
    settings = settings.model_copy(update={"java": str(old_java)})
    with pytest.raises(StackError, match="Java 8; Kafka 4 needs Java 17"):
        Launcher(settings).up()


def test_missing_maven_is_named_when_nothing_is_cached(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    java_only = tmp_path / "bin"
    java_only.mkdir()
    real_java = shutil.which("java")
    assert real_java, "java must be installed for this test"
    (java_only / "java").symlink_to(Path(os.path.realpath(real_java)))
    monkeypatch.setenv("PATH", str(java_only))
    settings = settings.model_copy(update={"cache_dir": tmp_path / "empty-cache"})
    with pytest.raises(StackError, match="Maven is missing") as raised:
        Launcher(settings).up()
    assert raised.value.component == "artifacts"


@pytest.mark.skipif(os.geteuid() != 0, reason="handing a folder to another user needs root")
def test_database_folder_of_another_user_is_refused(settings: Settings) -> None:
    data = StateLayout(settings.state_dir).data("postgres")
    data.mkdir(parents=True)
    (data / "PG_VERSION").write_text("15\n")
    nobody = pwd.getpwnam("nobody")
    os.chown(data, nobody.pw_uid, nobody.pw_gid)
    with pytest.raises(StackError, match="belongs to 'nobody'") as raised:
        Launcher(settings).up()
    assert raised.value.component == "postgres"


def test_cli_prints_one_line_and_no_traceback(settings: Settings) -> None:
    environment = {**os.environ, **settings.as_env(), "ORDERFLOW_JAVA": "/nowhere/java"}
    done = subprocess.run(
        [sys.executable, "-c", "from orderflow.cli import main; main()", "stack", "up"],
        capture_output=True, text=True, env=environment, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert "error: java: no Java runtime found" in " ".join(done.stderr.split())


def test_cli_names_a_bad_setting(settings: Settings) -> None:
    environment = {**os.environ, **settings.as_env(), "ORDERFLOW_KAFKA_PORT": "99999"}
    done = subprocess.run(
        [sys.executable, "-c", "from orderflow.cli import main; main()", "stack", "status"],
        capture_output=True, text=True, env=environment, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "ORDERFLOW_KAFKA_PORT" in done.stderr
