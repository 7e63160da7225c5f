"""The pinned JVM artifacts (infra/pom.xml), resolved once into the cache folder.

The folder is keyed by a hash of the pom, so changing a pinned version
resolves afresh and never mixes jars of two versions.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from orderflow.stack.errors import StackError

# Connect looks for connectors one folder below its plugin path.
DEBEZIUM_PLUGIN = "debezium-postgres"
# Copied without its version in the name (mdep.stripVersion), so its path is
# known without reading the pom.
JMX_AGENT_JAR = "jmx_prometheus_javaagent.jar"


@dataclass(frozen=True)
class Artifacts:
    kafka_jars: Path
    plugin_path: Path
    jmx_agent: Path
    """Prometheus's JMX exporter, the Java agent of the broker and of Connect."""

    @property
    def kafka_classpath(self) -> str:
        return f"{self.kafka_jars}/*"


def find_pom() -> Path:
    for folder in Path(__file__).resolve().parents:
        pom = folder / "infra" / "pom.xml"
        if pom.is_file():
            return pom
    raise StackError("artifacts", "infra/pom.xml not found above the orderflow package")


def artifacts_folder(cache_dir: Path, pom: Path) -> Path:
    digest = hashlib.sha256(pom.read_bytes()).hexdigest()[:12]
    return cache_dir / "jars" / digest


def resolved(cache_dir: Path) -> Artifacts | None:
    folder = artifacts_folder(cache_dir, find_pom())
    if not (folder / "complete").exists():
        return None
    return _layout(folder)


def _layout(folder: Path) -> Artifacts:
    return Artifacts(
        kafka_jars=folder / "kafka",
        plugin_path=folder / "plugins",
        jmx_agent=folder / "jmx-agent" / JMX_AGENT_JAR,
    )


def resolve(cache_dir: Path) -> Artifacts:
    """Resolve with Maven unless already done; safe against two launchers at once."""
    pom = find_pom()
    folder = artifacts_folder(cache_dir, pom)
    folder.parent.mkdir(parents=True, exist_ok=True)
    with (folder.parent / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (folder / "complete").exists():
            return _layout(folder)
        mvn = shutil.which("mvn")
        if mvn is None:
            raise StackError(
                "artifacts",
                "Maven is missing and the JVM artifacts are not cached yet; "
                "install it (apt-get install maven) or run `make setup`",
            )
        layout = _layout(folder)
        shutil.rmtree(folder, ignore_errors=True)
        log = folder.parent / f"{folder.name}-mvn.log"
        _copy_dependencies(mvn, pom, "kafka", layout.kafka_jars, log)
        _copy_dependencies(mvn, pom, "debezium", layout.plugin_path / DEBEZIUM_PLUGIN, log)
        _copy_dependencies(
            mvn, pom, "jmx-agent", layout.jmx_agent.parent, log, "-Dmdep.stripVersion=true"
        )
        (folder / "complete").write_text(pom.read_text())
        return layout


def _copy_dependencies(
    mvn: str, pom: Path, profile: str, into: Path, log: Path, *options: str
) -> None:
    command = [
        mvn, "-B", "-q", "-f", str(pom), "-P", profile,
        "dependency:copy-dependencies", f"-DoutputDirectory={into}", *options,
    ]  # fmt: skip
    with log.open("a") as log_stream:
        done = subprocess.run(command, stdout=log_stream, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        raise StackError("artifacts", f"mvn failed to resolve the {profile} artifacts", log)
