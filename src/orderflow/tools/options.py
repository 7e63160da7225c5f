"""Command-line options that more than one tool takes."""

from __future__ import annotations

from typing import Annotated

import typer

ConnectTimeout = Annotated[
    float, typer.Option(min=0.1, help="Seconds to wait for the broker and the registry.")
]
"""How long a tool that talks to the broker and the registry waits for them to answer."""
