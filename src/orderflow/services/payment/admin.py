"""``orderflow payment``: show and set users' balances (to drive a declined payment).

psycopg loads in the commands that connect, not when the CLI is built.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from orderflow.events.ids import UserId

if TYPE_CHECKING:
    from orderflow.settings import Settings

payment_app = typer.Typer(help="Inspect and set users' balances.", no_args_is_help=True)


def _cents(amount: str) -> int:
    try:
        value = Decimal(amount)
    except InvalidOperation:
        raise typer.BadParameter(f"{amount!r} is not an amount like 12.50") from None
    if value < 0 or value != value.quantize(Decimal("0.01")):
        raise typer.BadParameter("an amount is not negative and has at most 2 decimals")
    return int(value * 100)


@payment_app.command("balance")
def show_balance(ctx: typer.Context, user: Annotated[str, typer.Argument(help="User id")]) -> None:
    """A user's balance (the default if they have not paid yet)."""
    import psycopg

    from orderflow.services.payment.accounts import balance_of

    settings: Settings = ctx.obj
    with psycopg.connect(settings.postgres_dsn) as conn:
        cents = balance_of(conn, UserId(user))
    shown = settings.payment_default_balance_cents if cents is None else cents
    note = " (default, no payment yet)" if cents is None else ""
    Console().print(f"{user}: {shown / 100:.2f}{note}")


@payment_app.command("set-balance")
def set_user_balance(
    ctx: typer.Context,
    user: Annotated[str, typer.Argument(help="User id")],
    amount: Annotated[str, typer.Argument(help="New balance, e.g. 0 or 12.50")],
) -> None:
    """Set a user's balance; below an order's total, its payment is declined."""
    import psycopg

    from orderflow.services.payment.accounts import set_balance

    settings: Settings = ctx.obj
    cents = _cents(amount)
    with psycopg.connect(settings.postgres_dsn) as conn:
        set_balance(conn, UserId(user), cents)
    Console().print(f"{user}: {cents / 100:.2f}")
