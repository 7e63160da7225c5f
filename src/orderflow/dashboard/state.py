"""What the app holds for its routes, built once by create_app and its lifespan."""

from __future__ import annotations

from typing import Annotated

import httpx
from fastapi import Depends, Request

from orderflow.settings import Settings


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def order_service_of(request: Request) -> httpx.AsyncClient:
    """The app's one client of the OrderService, open for the app's life (its lifespan)."""
    client: httpx.AsyncClient = request.app.state.order_service
    return client


SettingsDep = Annotated[Settings, Depends(settings_of)]
OrderService = Annotated[httpx.AsyncClient, Depends(order_service_of)]
