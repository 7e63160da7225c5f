"""The real stack for the tests: started once per session on free ports.

It lives in a temporary state folder of its own, so it never collides with
a stack the user has running; the JVM artifacts come from the shared cache.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from orderflow.settings import Settings
from orderflow.stack.isolated import isolated_settings, open_state_dir
from orderflow.stack.launcher import Launcher


@pytest.fixture(scope="session")
def stack() -> Iterator[Settings]:
    state_dir = open_state_dir()
    launcher = Launcher(isolated_settings(state_dir))
    try:
        launcher.up()
        yield launcher.settings
    finally:
        launcher.down()
        shutil.rmtree(state_dir, ignore_errors=True)
