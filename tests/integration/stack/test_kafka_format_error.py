"""A failed format of Kafka's storage says why in the error, not only in a log
that a temporary state folder takes with it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from orderflow.settings import Settings
from orderflow.stack import kafka
from orderflow.stack.artifacts import Artifacts
from orderflow.stack.errors import StackError
from orderflow.stack.layout import StateLayout


def test_the_storage_tool_s_own_words_are_in_the_error(tmp_path: Path) -> None:
    java = shutil.which("java")
    assert java is not None
    layout = StateLayout(tmp_path / "state")
    no_jars = Artifacts(
        kafka_jars=tmp_path / "empty",
        plugin_path=tmp_path / "plugins",
        jmx_agent=tmp_path / "jmx_prometheus_javaagent.jar",
    )

    with pytest.raises(StackError) as failed:
        kafka.prepare(Settings(state_dir=layout.root), layout, no_jars, java)

    message = str(failed.value)
    assert "formatting the KRaft storage failed: " in message
    assert "kafka.tools.StorageTool" in message  # the JVM's one line: main class not found
    assert "kafka.tools.StorageTool" in layout.log(kafka.NAME).read_text()
