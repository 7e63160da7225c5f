"""PostgreSQL with logical decoding on, one cluster in the state folder.

We use the server binaries of the machine's PostgreSQL package (Debian's
`postgresql`, installed by `make setup`): it is one apt package, patched by
the distribution, and needs no download of our own.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
from pathlib import Path

import psycopg

from orderflow.settings import Settings
from orderflow.stack.errors import StackError
from orderflow.stack.layout import StateLayout

NAME = "postgres"


def find_bin_dir() -> Path:
    on_path = shutil.which("postgres")
    if on_path:
        return Path(on_path).resolve().parent
    installed = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/postgres"),
        key=lambda path: int(Path(path).parts[3]) if Path(path).parts[3].isdigit() else 0,
    )
    if installed:
        return Path(installed[-1]).parent
    raise StackError(
        NAME,
        "PostgreSQL server binaries not found; install them (apt-get install postgresql) "
        "or run `make setup`",
    )


def run_as(settings: Settings) -> str | None:
    """The OS user to run Postgres as: ourselves, unless we are root (Postgres refuses root)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(settings.postgres_os_user)
    except KeyError:
        raise StackError(
            NAME,
            f"running as root, and the OS user {settings.postgres_os_user!r} to run Postgres "
            "as does not exist; create it or set ORDERFLOW_POSTGRES_OS_USER",
        ) from None
    return settings.postgres_os_user


def _uid(user: str | None) -> int:
    return os.geteuid() if user is None else pwd.getpwnam(user).pw_uid


def server_options(settings: Settings) -> dict[str, str]:
    return {
        "port": str(settings.postgres_port),
        "listen_addresses": settings.host,
        # TCP only: no socket file to clash with a system Postgres.
        "unix_socket_directories": "",
        "wal_level": "logical",
        "max_replication_slots": "10",
        "max_wal_senders": "10",
        # A Connect worker that stops answering (frozen, or cut off) still holds the
        # outbox slot, and the task another worker takes over cannot read it until
        # Postgres ends the silent connection: after 60 s by default. Debezium
        # answers the keep-alives Postgres sends at half this, so a live one stays.
        "wal_sender_timeout": "15s",
        "max_connections": "200",
        # Under load the default 1 GB of WAL forced a checkpoint every two
        # minutes, and after each one every index page touched is logged whole
        # again. Fewer checkpoints, compressed page images and a cache that
        # holds the hot indexes cut that work.
        "max_wal_size": "8GB",
        "checkpoint_timeout": "15min",
        "wal_compression": "lz4",
        "shared_buffers": "512MB",
    }


def prepare(settings: Settings, layout: StateLayout) -> None:
    """Initialise the cluster on first start; check that we may use an existing one."""
    data = layout.data(NAME)
    user = run_as(settings)
    if (data / "PG_VERSION").exists():
        owner = data.stat().st_uid
        if owner != _uid(user):
            owner_name = pwd.getpwuid(owner).pw_name
            raise StackError(
                NAME,
                f"the database folder {data} belongs to {owner_name!r}, "
                f"not to the user Postgres runs as ({user or pwd.getpwuid(os.geteuid()).pw_name})",
            )
        return
    data.mkdir(parents=True, exist_ok=True)
    if user is not None:
        _open_path_to(data, user)
    log = layout.log(NAME)
    log.parent.mkdir(parents=True, exist_ok=True)
    initdb = [
        str(find_bin_dir() / "initdb"),
        "-D", str(data), "-U", settings.postgres_user,
        # Loopback only, a development cluster: trust. See the README.
        "--auth=trust", "--encoding=UTF8", "--locale=C",
    ]  # fmt: skip
    with log.open("a") as log_stream:
        done = subprocess.run(
            initdb, stdout=log_stream, stderr=subprocess.STDOUT, user=user, check=False
        )
    if done.returncode != 0:
        raise StackError(NAME, "initdb failed", log)


def _open_path_to(data: Path, user: str) -> None:
    """Hand the data folder to ``user`` and let it walk the folders above."""
    entry = pwd.getpwnam(user)
    os.chown(data, entry.pw_uid, entry.pw_gid)
    for folder in data.parents:
        mode = folder.stat().st_mode
        if not mode & 0o001:
            raise StackError(
                NAME,
                f"{folder} is not searchable by {user!r}, which Postgres runs as; "
                "choose a state folder all users can reach (ORDERFLOW_STATE_DIR)",
            )
        if folder == Path("/"):
            break


def command(settings: Settings, layout: StateLayout) -> list[str]:
    options = [f"--{key}={value}" for key, value in server_options(settings).items()]
    return [str(find_bin_dir() / "postgres"), "-D", str(layout.data(NAME)), *options]


def admin_dsn(settings: Settings) -> str:
    return (
        f"host={settings.host} port={settings.postgres_port} "
        f"dbname=postgres user={settings.postgres_user} connect_timeout=2"
    )


def healthy(settings: Settings) -> bool:
    try:
        with psycopg.connect(admin_dsn(settings)) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def ensure_database(settings: Settings) -> None:
    with psycopg.connect(admin_dsn(settings), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (settings.postgres_db,)
        ).fetchone()
        if not exists:
            conn.execute(
                psycopg.sql.SQL("CREATE DATABASE {}").format(
                    psycopg.sql.Identifier(settings.postgres_db)
                )
            )
