"""A stack of its own: free ports and a fresh state folder, beside any stack a user runs.

Tests, the benchmark and the chaos run use it so that they never touch the
user's data or collide with the user's ports.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from orderflow.settings import Settings
from orderflow.stack.ports import free_ports


def open_state_dir() -> Path:
    """A temporary state folder that Postgres can reach when we run as root."""
    state_dir = Path(tempfile.mkdtemp(prefix="orderflow-"))
    state_dir.chmod(0o755)
    return state_dir


def isolated_settings(state_dir: Path, **overrides: object) -> Settings:
    kafka, controller, connect, postgres, registry, order, *rest = free_ports(13)
    inventory, shipping, payment, kafka_metrics, connect_metrics, prometheus, dashboard = rest
    values: dict[str, object] = {
        "state_dir": state_dir,
        "kafka_port": kafka,
        "kafka_controller_port": controller,
        "connect_port": connect,
        "postgres_port": postgres,
        "registry_port": registry,
        "order_port": order,
        "inventory_port": inventory,
        "shipping_port": shipping,
        "payment_port": payment,
        "kafka_metrics_port": kafka_metrics,
        "connect_metrics_port": connect_metrics,
        "prometheus_port": prometheus,
        "dashboard_port": dashboard,
    }
    return Settings(**{**values, **overrides})  # type: ignore[arg-type]
