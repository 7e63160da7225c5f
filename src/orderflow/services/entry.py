"""Running one service as a process: ``python -m orderflow.services.<name>``."""

from __future__ import annotations

import sys
from collections.abc import Callable

from orderflow.events.registration import SchemaRegistrationError
from orderflow.settings import Settings, SettingsError, load_settings


def main(run: Callable[[Settings], None]) -> None:
    """Build the Settings from the environment and run; known failures are one line."""
    try:
        run(load_settings())
    except (SettingsError, SchemaRegistrationError) as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
