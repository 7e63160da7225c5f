"""Prometheus, scraping every part of the system that serves metrics.

We run the binary of Debian's `prometheus` package (installed by `make setup`)
with a config we write, its database in the state folder; the package's own
service is not used. The scrape config is built from the components, so a
part that serves metrics is scraped once it declares where.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from orderflow.settings import Settings
from orderflow.stack import connect, kafka
from orderflow.stack.errors import StackError
from orderflow.stack.layout import StateLayout
from orderflow.stack.probes import answers_ok

if TYPE_CHECKING:
    # For the types only: components.py imports this module for PROMETHEUS.
    from orderflow.stack.components import Component

NAME = "prometheus"
CONFIG = "prometheus.json"
# A local stack's metrics are for watching a run, not for keeping.
RETENTION = "1d"
# Our processes render what they hold in memory: cheap, and it changes within
# seconds of a fault. The JVMs' exporters read MBeans at every scrape.
INTERVAL_S = 5
JVM_INTERVAL_S = 15
JVMS = frozenset({kafka.NAME, connect.NAME})


def find_binary() -> str:
    found = shutil.which("prometheus")
    if found is None:
        raise StackError(
            NAME,
            "the prometheus binary is not on PATH; install it (apt-get install prometheus) "
            "or run `make setup`",
        )
    return found


def scrape_config(settings: Settings, components: Iterable[Component]) -> dict[str, object]:
    """One scrape job per component that serves metrics, named after it; the instances of
    a service are one job, a target each (told apart by Prometheus's ``instance`` label)."""
    jobs: dict[str, dict[str, object]] = {}
    targets: dict[str, list[str]] = {}
    for component in components:
        url = component.metrics(settings)
        if url is None:
            continue
        parts = urlsplit(url)
        interval_s = JVM_INTERVAL_S if component.name in JVMS else INTERVAL_S
        targets.setdefault(component.job, []).append(parts.netloc)
        jobs.setdefault(
            component.job,
            {
                "job_name": component.job,
                "scrape_interval": f"{interval_s}s",
                # A scrape that takes longer than its interval would overlap the next.
                "scrape_timeout": f"{interval_s - 1}s",
                "scheme": parts.scheme,
                "metrics_path": parts.path or "/metrics",
                "static_configs": [{"targets": targets[component.job]}],
            },
        )
    return {
        "global": {"scrape_interval": f"{JVM_INTERVAL_S}s"},
        "scrape_configs": list(jobs.values()),
    }


def prepare(settings: Settings, layout: StateLayout, components: Iterable[Component]) -> None:
    """Write the config afresh at every start: the ports may have changed since the last."""
    config = layout.config(CONFIG)
    config.parent.mkdir(parents=True, exist_ok=True)
    # JSON is YAML, which Prometheus reads: no YAML library needed to write it.
    config.write_text(json.dumps(scrape_config(settings, components), indent=2) + "\n")
    layout.data(NAME).mkdir(parents=True, exist_ok=True)


def command(settings: Settings, layout: StateLayout) -> list[str]:
    return [
        find_binary(),
        f"--config.file={layout.config(CONFIG)}",
        f"--storage.tsdb.path={layout.data(NAME)}",
        f"--storage.tsdb.retention.time={RETENTION}",
        f"--web.listen-address={settings.host}:{settings.prometheus_port}",
    ]


def url(settings: Settings) -> str:
    """Where its web UI and HTTP API answer."""
    return f"http://{settings.host}:{settings.prometheus_port}"


def healthy(settings: Settings) -> bool:
    # Ready once its database is open and it scrapes; before, /-/ready answers 503.
    return answers_ok(f"{url(settings)}/-/ready")
