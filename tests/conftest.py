"""The real stack for the tests: started once per session on free ports.

It lives in a temporary state folder of its own, so it never collides with
a stack the user has running; the JVM artifacts come from the shared cache.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from orderflow.settings import Settings
from orderflow.stack.isolated import isolated_settings, open_state_dir
from orderflow.stack.launcher import Launcher

README = Path(__file__).resolve().parents[1] / "README.md"


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


@pytest.fixture(scope="session")
def readme_commands() -> Callable[[str], list[str]]:
    """The commands of a README section's bash blocks, in order, for the tests that run
    them as written: ``readme_commands("## The HTTP API")``. Comment lines and blank
    lines go; a comment after a command stays (the shell ignores it, a test may read it)."""

    def commands(heading: str) -> list[str]:
        readme = README.read_text()
        assert f"\n{heading}\n" in readme, f"README.md has no section {heading!r}"
        section = readme.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]
        blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.DOTALL)
        lines = (line.strip() for block in blocks for line in block.splitlines())
        return [line for line in lines if line and not line.startswith("#")]

    return commands
