"""One contract for every service's store, run on its Postgres adapter and in memory.

Each test drives the service's real decisions through the processor, then
loads the view again in a new transaction and checks what it holds. The
same test passes against ``MemoryStorage`` (what the in-memory system runs)
and against the service's Postgres store on the session stack: the memory
system's saga tests are only worth what this agreement is worth.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

import psycopg
import pytest
from confluent_kafka.schema_registry import SchemaRegistryClient
from psycopg_pool import ConnectionPool

from orderflow.events.codec import EventCodec
from orderflow.events.ids import EventId, ItemId, OrderId, ShipmentId, UserId, time_ordered_id
from orderflow.events.model import (
    Event,
    InventoryReserved,
    OrderCreated,
    PaymentCompleted,
    PaymentDeclined,
    ShipmentCreated,
)
from orderflow.events.registration import register_schemas
from orderflow.memory.storage import MemoryStorage
from orderflow.messaging.inbox import Inbox
from orderflow.messaging.outbox import Outbox
from orderflow.messaging.postgres import PostgresTransactions
from orderflow.messaging.processor import Processor
from orderflow.messaging.service import AnyService
from orderflow.messaging.storage import Transactions
from orderflow.services.inventory.domain import Level, StockView
from orderflow.services.inventory.service import INVENTORY
from orderflow.services.order.projection import StatusView, Tracked
from orderflow.services.order.service import STATUS
from orderflow.services.order.status import Status
from orderflow.services.payment.domain import PaymentsView
from orderflow.services.payment.service import PAYMENT
from orderflow.services.shipping.domain import ShipmentsView
from orderflow.services.shipping.service import SHIPPING
from orderflow.settings import Settings

pytestmark = pytest.mark.stack

DEFAULT_BALANCE = 100_000


class Backend(Protocol):
    def transactions(self, service: AnyService) -> Transactions[Any, Any]: ...
    def stock(self, item: ItemId, available: int) -> None: ...
    def track(self, order_id: OrderId) -> None: ...


class Memory:
    def __init__(self) -> None:
        settings = Settings(payment_default_balance_cents=DEFAULT_BALANCE)
        self._storages = {
            s.name: MemoryStorage[Any, Any](s.initial(settings), lambda _: None)
            for s in (STATUS, INVENTORY, SHIPPING, PAYMENT)
        }

    def transactions(self, service: AnyService) -> Transactions[Any, Any]:
        return self._storages[service.name]

    def stock(self, item: ItemId, available: int) -> None:
        view: StockView = self._storages[INVENTORY.name].store.state
        view.stock[item] = Level(available, 0)

    def track(self, order_id: OrderId) -> None:
        view: StatusView = self._storages[STATUS.name].store.state
        view.tracked[order_id] = Tracked(Status.ORDER_CREATED, frozenset())


class Postgres:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings.model_copy(
            update={"payment_default_balance_cents": DEFAULT_BALANCE}
        )
        client = SchemaRegistryClient.new_client({"url": "mock://store-contract"})
        register_schemas(client, "mock://store-contract")
        self._codec = EventCodec(client)
        self.pools: list[ConnectionPool] = []

    def transactions(self, service: AnyService) -> Transactions[Any, Any]:
        dsn = self._settings.service_dsn(service.role(self._settings))
        pool = ConnectionPool(dsn, min_size=1, max_size=1, open=True)
        self.pools.append(pool)
        return PostgresTransactions(
            pool,
            Inbox(service.schema, service.group),
            Outbox(service.schema, self._codec),
            lambda cur: service.store(cur, self._settings),
        )

    def stock(self, item: ItemId, available: int) -> None:
        with psycopg.connect(self._settings.postgres_dsn) as conn:
            conn.execute(
                "INSERT INTO inventory.stock (item_id, available) VALUES (%s, %s)",
                (item, available),
            )

    def track(self, order_id: OrderId) -> None:
        now = datetime.now(UTC)
        with psycopg.connect(self._settings.postgres_dsn) as conn:
            conn.execute(
                "INSERT INTO orders.orders (order_id, user_id, items, total_cents, status,"
                " created_at, updated_at) VALUES (%s, 'u', '{item1}', 1, %s, %s, %s)",
                (order_id, Status.ORDER_CREATED.value, now, now),
            )


@pytest.fixture(params=["memory", "postgres"])
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    if request.param == "memory":
        yield Memory()
        return
    postgres = Postgres(request.getfixturevalue("stack"))
    yield postgres
    for pool in postgres.pools:
        pool.close()


def _process(backend: Backend, service: AnyService, *batches: Sequence[Event]) -> Any:
    """Handle each batch in its own transaction, then the view of every event, reloaded."""
    transactions = backend.transactions(service)
    processor = Processor(transactions=transactions, handlers=service.handlers)
    for batch in batches:
        processor(batch)
    with transactions.begin() as tx:
        return tx.store.load([e for batch in batches for e in batch])


def _at() -> datetime:
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def _id() -> str:
    return time_ordered_id()


def _created(order: OrderId, user: str, *items: ItemId, total: int = 1000) -> OrderCreated:
    return OrderCreated(
        event_id=EventId(_id()), order_id=order, occurred_at=_at(), user_id=UserId(user),
        items=items, total_cents=total,
    )  # fmt: skip


def _reserved(order: OrderId, user: str, total: int = 1000) -> InventoryReserved:
    return InventoryReserved(
        event_id=EventId(_id()), order_id=order, occurred_at=_at(), user_id=UserId(user),
        items=(ItemId("item1"),), total_cents=total,
    )  # fmt: skip


def _shipped(order: OrderId, user: str, total: int) -> ShipmentCreated:
    return ShipmentCreated(
        event_id=EventId(_id()), order_id=order, occurred_at=_at(),
        shipment_id=ShipmentId(_id()), user_id=UserId(user), total_cents=total,
    )  # fmt: skip


def _declined(order: OrderId, user: str) -> PaymentDeclined:
    return PaymentDeclined(
        event_id=EventId(_id()), order_id=order, occurred_at=_at(), user_id=UserId(user),
        amount_cents=1000, reason="insufficient funds",
    )  # fmt: skip


def _names() -> tuple[OrderId, str, ItemId]:
    unique = _id()
    return OrderId(unique), f"contract-{unique}", ItemId(f"contract-item-{unique}")


# InventoryService ---------------------------------------------------------


def test_inventory_holds_the_items_of_a_reserved_order(backend: Backend) -> None:
    order, user, item = _names()
    backend.stock(item, 3)

    view: StockView = _process(backend, INVENTORY, [_created(order, user, item, item)])

    assert view.stock[item] == Level(1, 2)
    assert view.reservations[order].items == (item, item)
    assert not view.reservations[order].released


def test_inventory_holds_nothing_for_an_order_it_cannot_fill(backend: Backend) -> None:
    order, user, item = _names()
    backend.stock(item, 1)

    view: StockView = _process(backend, INVENTORY, [_created(order, user, item, item)])

    assert view.stock[item] == Level(1, 0)
    assert order not in view.reservations


def test_inventory_gives_back_what_a_declined_order_held(backend: Backend) -> None:
    order, user, item = _names()
    backend.stock(item, 3)

    view: StockView = _process(
        backend, INVENTORY, [_created(order, user, item)], [_declined(order, user)]
    )

    assert view.stock[item] == Level(3, 0)
    assert view.reservations[order].released


def test_inventory_orders_in_one_batch_see_each_others_holds(backend: Backend) -> None:
    first, user, item = _names()
    second = OrderId(_id())
    backend.stock(item, 1)

    view: StockView = _process(
        backend, INVENTORY, [_created(first, user, item), _created(second, user, item)]
    )

    assert view.stock[item] == Level(0, 1)
    assert set(view.reservations) == {first}


def test_inventory_redelivery_changes_nothing(backend: Backend) -> None:
    order, user, item = _names()
    backend.stock(item, 3)
    created = _created(order, user, item)

    view: StockView = _process(backend, INVENTORY, [created], [created])

    assert view.stock[item] == Level(2, 1)


# ShippingService ----------------------------------------------------------


def test_shipping_creates_one_shipment_and_cancels_it(backend: Backend) -> None:
    order, user, _ = _names()

    shipped: ShipmentsView = _process(
        backend, SHIPPING, [_reserved(order, user)], [_reserved(order, user)]
    )
    assert not shipped.shipments[order].cancelled
    shipment_id = shipped.shipments[order].shipment_id

    cancelled: ShipmentsView = _process(backend, SHIPPING, [_declined(order, user)])

    assert cancelled.shipments[order].cancelled
    assert cancelled.shipments[order].shipment_id == shipment_id


# PaymentService -----------------------------------------------------------


def test_payment_charges_a_new_user_from_the_default_balance_once(backend: Backend) -> None:
    order, user, _ = _names()

    view: PaymentsView = _process(
        backend, PAYMENT, [_shipped(order, user, 1250)], [_shipped(order, user, 1250)]
    )

    assert view.balance(UserId(user)) == DEFAULT_BALANCE - 1250
    assert order in view.settled


def test_payment_declines_what_the_balance_cannot_cover(backend: Backend) -> None:
    order, user, _ = _names()
    second = OrderId(_id())

    view: PaymentsView = _process(
        backend,
        PAYMENT,
        [_shipped(order, user, DEFAULT_BALANCE - 100), _shipped(second, user, 200)],
    )

    assert view.balance(UserId(user)) == 100  # the second was declined
    assert view.settled >= {order, second}


# OrderStatusService -------------------------------------------------------


def test_status_moves_on_with_each_event_and_keeps_what_it_saw(backend: Backend) -> None:
    order, user, item = _names()
    backend.track(order)

    view: StatusView = _process(
        backend, STATUS, [_created(order, user, item)], [_reserved(order, user)]
    )

    assert view.tracked[order] == Tracked(
        Status.INVENTORY_CONFIRMED, frozenset({OrderCreated, InventoryReserved})
    )


def test_status_of_a_terminal_order_stays(backend: Backend) -> None:
    order, user, _ = _names()
    backend.track(order)
    paid = PaymentCompleted(
        event_id=EventId(_id()), order_id=order, occurred_at=_at(), user_id=UserId(user),
        amount_cents=1000,
    )  # fmt: skip

    view: StatusView = _process(backend, STATUS, [paid], [_declined(order, user)])

    assert view.tracked[order].status is Status.PAID
