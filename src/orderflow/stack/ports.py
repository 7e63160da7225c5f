"""Which ports are taken, and which are free to hand out.

A server port inside the kernel's ephemeral range (Linux: 32768-60999) can be
held at any moment by some client socket's local end, even one in TIME-WAIT,
and the server then fails with "Address already in use". Binding port 0 hands
out exactly such ports, so `free_ports` picks from below that range instead.
"""

from __future__ import annotations

import random
import socket
from collections.abc import Sequence
from pathlib import Path

EPHEMERAL_RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")
# Linux's default, for when the file is missing or unreadable.
LINUX_EPHEMERAL_RANGE = (32768, 60999)
# Where our picks start: clear of the well-known and most registered low ports.
PICK_FLOOR = 20000
UNPRIVILEGED = 1024
# A range narrower than this is not worth picking from at random.
MIN_SPAN = 1000


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def parse_ephemeral_range(text: str) -> tuple[int, int] | None:
    """The ``low high`` pair of ip_local_port_range; None when it is not one."""
    fields = text.split()
    if len(fields) != 2 or not all(field.isdigit() for field in fields):
        return None
    low, high = int(fields[0]), int(fields[1])
    return (low, high) if 1 <= low <= high <= 65535 else None


def kernel_ephemeral_range() -> tuple[int, int]:
    try:
        text = EPHEMERAL_RANGE_FILE.read_text()
    except OSError:
        return LINUX_EPHEMERAL_RANGE
    return parse_ephemeral_range(text) or LINUX_EPHEMERAL_RANGE


def pick_range(ephemeral: tuple[int, int]) -> range:
    """The ports `free_ports` picks from, given the kernel's ephemeral range.

    Below it: from 20000, or the 1000 ports under it when it starts lower
    (never under 1024). Above it when too few are left below; every
    unprivileged port when it covers nearly all of them.
    """
    low, high = ephemeral
    below = range(max(UNPRIVILEGED, min(PICK_FLOOR, low - MIN_SPAN)), low)
    if len(below) >= MIN_SPAN:
        return below
    above = range(high + 1, 65536)
    if len(above) >= MIN_SPAN:
        return above
    return range(UNPRIVILEGED, 65536)


def free_ports(
    count: int,
    host: str = "127.0.0.1",
    among: Sequence[int] | None = None,
    modulus: int | None = None,
) -> list[int]:
    """``count`` distinct ports that bind on ``host`` now, picked at random.

    By default from `pick_range` of the kernel's ephemeral range. Each pick is
    held bound until all are chosen, so no two coincide, and released on return.
    With ``modulus``, no two picks leave the same remainder when divided by it,
    so that ports counted up from them in steps of it never meet either.
    """
    candidates = pick_range(kernel_ephemeral_range()) if among is None else among
    held: list[socket.socket] = []
    remainders: set[int] = set()
    try:
        for port in random.sample(candidates, len(candidates)):
            if len(held) == count:
                break
            if modulus is not None and port % modulus in remainders:
                continue
            probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            # Off (Linux's default, said here): the strictest check, refused by
            # any socket on the port, one in TIME-WAIT included.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 0)
            try:
                probe.bind((host, port))
            except OSError:
                probe.close()
                continue
            held.append(probe)
            if modulus is not None:
                remainders.add(port % modulus)
        if len(held) < count:
            raise OSError(f"only {len(held)} of {count} ports free on {host}")
        return [probe.getsockname()[1] for probe in held]
    finally:
        for probe in held:
            probe.close()
