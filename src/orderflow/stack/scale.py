"""How many processes of each declared service run: `orderflow up --scale inventory=3`.

The instances of a service are named ``inventory``, ``inventory-2``, … (the first
keeps the service's name, so a system of one of each looks as it always did)
and each has an HTTP port of its own for ``/readyz`` and ``/metrics``: the
service's port for the first, then one step of ``PORT_STEP`` per instance. The
replicas of a worker share its consumer group, and Kafka spreads the group's
partitions over them; a replica with none stands by, ready.

The stack's Kafka and Connect scale the same way (``--brokers 3``,
``--connect-workers 2``): ``kafka-2``, ``connect-2``, each of their ports one
step up. A Kafka cluster's size is fixed by the data it was formatted with
(stack/kafka.py): `up` without ``--brokers`` runs as many as the data has.

The scale `up` was given is kept in the state folder (``scale.json``) for the
supervisor, `status`, `down` and chaos to read; `down` forgets it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

Scale = Mapping[str, int]
"""Instances per service name; a service not named runs one."""

# inventory 8091 → 8191, 8291, …: clear of every other default port up to the ninth.
PORT_STEP = 100
MOST = 9
# The stack's parts that scale, by the name of their first instance.
BROKERS = "kafka"
CONNECT_WORKERS = "connect"
# Every broker is a voter of the KRaft quorum too; five ride out two losses, and a
# quorum of more only writes slower.
MOST_BROKERS = 5
MOST_CONNECT_WORKERS = 3


def parse_scale(asked: Iterable[str], services: Iterable[str]) -> dict[str, int]:
    """``["inventory=3", …]`` as instances per service; ValueError with a one-line reason."""
    known = tuple(services)
    scale: dict[str, int] = {}
    for entry in asked:
        name, equals, count = entry.partition("=")
        if not equals:
            raise ValueError(f"{entry}: write it as SERVICE=COUNT, such as inventory=2")
        if name not in known:
            raise ValueError(f"{entry}: no service {name!r}; one of {', '.join(known)}")
        try:
            instances = int(count)
        except ValueError:
            raise ValueError(f"{entry}: {count!r} is not a whole number") from None
        if not 1 <= instances <= MOST:
            raise ValueError(f"{entry}: from 1 to {MOST} instances")
        scale[name] = instances
    return scale


def instances_of(scale: Scale, service: str) -> int:
    return scale.get(service, 1)


def instance_name(service: str, instance: int) -> str:
    """``inventory`` for the first, ``inventory-2`` for the second, …"""
    return service if instance == 1 else f"{service}-{instance}"


def instance_port(service_port: int, instance: int) -> int:
    return service_port + PORT_STEP * (instance - 1)


def cluster_of(scale: Scale) -> dict[str, int]:
    """The brokers and Connect workers of ``scale``, where it names them."""
    return {part: scale[part] for part in (BROKERS, CONNECT_WORKERS) if part in scale}


def read_scale(path: Path) -> dict[str, int]:
    """The scale kept by the last `up`; one of each if none was (or it is unreadable)."""
    try:
        found = json.loads(path.read_text())
        return {str(name): int(count) for name, count in found.items()}
    except (OSError, ValueError, AttributeError, TypeError):
        return {}


def write_scale(path: Path, scale: Scale) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    # Only what differs from one of each: the file says what was asked.
    partial.write_text(json.dumps({name: n for name, n in sorted(scale.items()) if n != 1}))
    partial.replace(path)
