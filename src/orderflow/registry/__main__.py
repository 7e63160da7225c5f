"""``python -m orderflow.registry``: the registry alone, configured from ORDERFLOW_*."""

from __future__ import annotations

import sys

from orderflow.registry.server import serve
from orderflow.settings import SettingsError, load_settings


def main() -> None:
    try:
        settings = load_settings()
    except SettingsError as error:
        sys.exit(f"orderflow registry: {error}")
    serve(settings)


if __name__ == "__main__":
    main()
