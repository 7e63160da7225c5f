"""The launcher of Kafka's own tools: which class, which arguments."""

from __future__ import annotations

import pytest

from orderflow.tools.kafka_tool import TOOLS, java_command, log4j_config, main, with_bootstrap


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
