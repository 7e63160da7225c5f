"""The launcher of Kafka's own tools: which class, which arguments."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pydantic import SecretStr

from orderflow.settings import Settings
from orderflow.tools.kafka_tool import (
    CLIENT_CONFIG,
    TOOLS,
    client_config,
    java_command,
    log4j_config,
    main,
    with_bootstrap,
    with_option,
)


def test_adds_the_local_broker_when_none_is_given() -> None:
    assert with_bootstrap(["--list"], "127.0.0.1:9092") == [
        "--bootstrap-server",
        "127.0.0.1:9092",
        "--list",
    ]


@pytest.mark.parametrize(
    "args",
    [["--bootstrap-server", "elsewhere:9092", "--list"], ["--list", "--bootstrap-server=x:1"]],
)
def test_keeps_a_given_broker(args: list[str]) -> None:
    assert with_bootstrap(args, "127.0.0.1:9092") == args


def test_java_command_runs_the_class_with_quiet_logging() -> None:
    command = java_command("/usr/bin/java", "/jars/*", TOOLS["kafka-topics"], ["--list"])
    assert command[0] == "/usr/bin/java"
    assert command[-4:] == ["-cp", "/jars/*", "org.apache.kafka.tools.TopicCommand", "--list"]
    assert f"-Dlog4j2.configurationFile={log4j_config()}" in command
    assert log4j_config().is_file()
    assert "rootLogger.level = WARN" in log4j_config().read_text()


def test_an_unknown_tool_is_refused_with_usage() -> None:
    with pytest.raises(SystemExit, match=r"usage: .*kafka-topics\|kafka-console-producer"):
        main(["kafka-server-start"])


def test_every_tool_has_its_client_config_option() -> None:
    assert CLIENT_CONFIG.keys() == TOOLS.keys()


def test_plaintext_needs_no_client_config(tmp_path: Path) -> None:
    assert client_config(Settings(state_dir=tmp_path)) is None


def test_the_settings_security_reaches_the_tool_in_a_file_only_its_owner_reads(
    tmp_path: Path,
) -> None:
    settings = Settings(
        state_dir=tmp_path,
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_username="svc",
        kafka_sasl_password=SecretStr("s3cret"),
    )

    path = client_config(settings)

    assert path is not None
    text = path.read_text()
    assert "security.protocol=SASL_SSL\n" in text
    assert 'password="s3cret"' in text
    assert f"ssl.truststore.location={tmp_path / 'tls' / 'ca.pem'}" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_client_config_given_on_the_command_line_wins() -> None:
    given = ["--command-config", "mine.properties", "--list"]
    assert with_option(given, "--command-config", "ours.properties") == given
    assert with_option(["--list"], "--command-config", "ours.properties") == [
        "--command-config",
        "ours.properties",
        "--list",
    ]
