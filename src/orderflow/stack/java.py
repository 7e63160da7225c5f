"""Finding a Java runtime new enough for Kafka 4 and Debezium 3 (17 or later)."""

from __future__ import annotations

import re
import shutil
import subprocess

from orderflow.stack.errors import StackError

MINIMUM_JAVA = 17


def java_major_version(version_output: str) -> int | None:
    """The major version from the text of ``java -version`` (``1.8`` counts as 8)."""
    found = re.search(r'version "(\d+)(?:\.(\d+))?', version_output)
    if not found:
        return None
    major = int(found.group(1))
    if major == 1 and found.group(2):
        return int(found.group(2))
    return major


def find_java(java: str) -> str:
    path = shutil.which(java)
    if path is None:
        raise StackError(
            "java",
            f"no Java runtime found ({java!r} is not on PATH); install JDK {MINIMUM_JAVA}+ "
            "(apt-get install openjdk-17-jdk-headless) or set ORDERFLOW_JAVA",
        )
    shown = subprocess.run([path, "-version"], capture_output=True, text=True, check=False)
    major = java_major_version(shown.stderr + shown.stdout)
    if major is None or major < MINIMUM_JAVA:
        raise StackError(
            "java",
            f"{path} is Java {major or 'of unknown version'}; Kafka 4 needs Java {MINIMUM_JAVA}+",
        )
    return path
