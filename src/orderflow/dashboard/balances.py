"""Users' balances: set one (``orderflow payment``), to walk the "no money" path."""

from __future__ import annotations

from typing import Annotated

import psycopg
from fastapi import APIRouter, Path
from pydantic import BaseModel, Field, StrictInt

from orderflow.dashboard.database import in_database
from orderflow.dashboard.errors import Refused
from orderflow.dashboard.state import SettingsDep
from orderflow.events.ids import UserId
from orderflow.services.order.web.models import USER_ID_MAX_CHARS
from orderflow.services.payment.accounts import set_balance

router = APIRouter(prefix="/api/users", tags=["balances"])

# payment.accounts.balance_cents is a Postgres bigint.
MAX_CENTS = 2**63 - 1


class SetBalance(BaseModel):
    cents: StrictInt = Field(ge=0, le=MAX_CENTS, description="The balance, in cents.")


@router.put("/{userId}/balance")
async def put_balance(
    userId: Annotated[str, Path(min_length=1, max_length=USER_ID_MAX_CHARS)],
    body: SetBalance,
    settings: SettingsDep,
) -> dict[str, object]:
    # Postgres text refuses NUL: refused here, it would be a 500 further down.
    if "\x00" in userId:
        raise Refused(400, "bad_request", "userId must not contain a NUL character", "userId")
    user = UserId(userId)

    def write(conn: psycopg.Connection) -> None:
        set_balance(conn, user, body.cents)

    await in_database(settings, write)
    return {"userId": user, "cents": body.cents}
