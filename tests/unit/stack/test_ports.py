"""free_ports picks below the kernel's ephemeral range, where no client socket sits."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from orderflow.settings import PORT_FIELDS, Settings, SettingsError, load_settings
from orderflow.stack.isolated import isolated_settings
from orderflow.stack.ports import (
    LINUX_EPHEMERAL_RANGE,
    free_ports,
    kernel_ephemeral_range,
    parse_ephemeral_range,
    pick_range,
)
from orderflow.stack.scale import MOST, instance_port


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("32768\t60999\n", (32768, 60999)),
        ("1024 65535", (1024, 65535)),
        ("", None),
        ("32768", None),
        ("60999 32768", None),
        ("0 100", None),
        ("a b", None),
    ],
)
def test_parse_ephemeral_range(text: str, parsed: tuple[int, int] | None) -> None:
    assert parse_ephemeral_range(text) == parsed


@pytest.mark.parametrize(
    ("ephemeral", "picks"),
    [
        (LINUX_EPHEMERAL_RANGE, range(20000, 32768)),
        ((49152, 65535), range(20000, 49152)),
        ((20500, 60999), range(19500, 20500)),
        ((10000, 65535), range(9000, 10000)),
        ((1500, 60999), range(61000, 65536)),
        ((1024, 65535), range(1024, 65536)),
    ],
)
def test_pick_range_stays_out_of_the_ephemeral_range(
    ephemeral: tuple[int, int], picks: range
) -> None:
    assert pick_range(ephemeral) == picks


ALL_PORT_FIELDS = [name for name in Settings.model_fields if name.endswith("_port")]


def test_no_default_port_is_in_linuxs_ephemeral_range(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ALL_PORT_FIELDS:
        monkeypatch.delenv(f"ORDERFLOW_{name.upper()}", raising=False)
    low, high = LINUX_EPHEMERAL_RANGE
    defaults = {name: getattr(load_settings(), name) for name in ALL_PORT_FIELDS}
    assert len(defaults) == 14  # status_port the 14th
    assert {name: port for name, port in defaults.items() if low <= port <= high} == {}


@pytest.mark.parametrize("port", [1, 40000, 54320, 65535])
def test_a_user_may_still_choose_any_port(port: int) -> None:
    settings = load_settings(**dict.fromkeys(PORT_FIELDS, port))
    assert {getattr(settings, name) for name in PORT_FIELDS} == {port}


@pytest.mark.parametrize("port", [0, 65536])
def test_a_port_outside_1_to_65535_is_refused(port: int) -> None:
    with pytest.raises(SettingsError, match="ORDERFLOW_POSTGRES_PORT"):
        load_settings(postgres_port=port)


def _bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 0)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def test_free_ports_are_distinct_outside_the_ephemeral_range_and_released() -> None:
    low, high = kernel_ephemeral_range()
    ports = free_ports(50)
    assert len(set(ports)) == 50
    assert not [port for port in ports if low <= port <= high]
    assert all(_bindable(port) for port in ports)


def test_free_ports_passes_over_a_port_held_in_time_wait() -> None:
    # A client's local port after it closed first: the state that kept
    # Postgres from starting on 54320.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        client = socket.create_connection(listener.getsockname())
        accepted, _ = listener.accept()
        lingering = client.getsockname()[1]
        client.close()
        accepted.close()
    [idle] = free_ports(1)
    assert free_ports(1, among=[lingering, idle]) == [idle]


def test_free_ports_with_a_modulus_leave_no_two_remainders_alike() -> None:
    ports = free_ports(50, modulus=100)
    assert len({port % 100 for port in ports}) == 50


def test_the_instances_of_a_stack_of_its_own_never_share_a_port(tmp_path: Path) -> None:
    # Every part scaled to the most instances: not one port twice, none in the
    # ephemeral range. Twenty stacks, as random ports once met by chance.
    low, high = kernel_ephemeral_range()
    for _ in range(20):
        isolated = isolated_settings(tmp_path)
        ports = [
            instance_port(getattr(isolated, name), instance)
            for name in PORT_FIELDS
            for instance in range(1, MOST + 1)
        ]
        assert len(set(ports)) == len(PORT_FIELDS) * MOST
        assert not [port for port in ports if low <= port <= high]


def test_free_ports_says_when_too_few_are_free() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        with pytest.raises(OSError, match="only 0 of 1 ports free"):
            free_ports(1, among=[busy.getsockname()[1]])


def test_a_stack_of_its_own_moves_every_port_off_its_default(tmp_path: Path) -> None:
    # A port left at its default would collide with the user's stack, or another test's.
    isolated = isolated_settings(tmp_path)
    defaults = Settings()

    assert set(PORT_FIELDS) == set(ALL_PORT_FIELDS)
    moved = {name: getattr(isolated, name) for name in ALL_PORT_FIELDS}
    assert all(port != getattr(defaults, name) for name, port in moved.items()), moved
    assert len(set(moved.values())) == len(moved)
