"""``orderflow dashboard``: the command. The app, FastAPI and uvicorn load when it runs."""

from __future__ import annotations

import typer


def dashboard(ctx: typer.Context) -> None:
    """Serve the live dashboard (ORDERFLOW_DASHBOARD_PORT, 8094) until Ctrl-C; `orderflow up`
    starts it too."""
    from orderflow.dashboard.server import serve

    serve(ctx.obj)
