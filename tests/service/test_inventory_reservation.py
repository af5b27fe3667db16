"""Confirming a sales order reserves stock: oldest first, as far as it goes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.catalog.models import ProductType
from domain.core.origins import Origin
from domain.inventory import services as inventory
from domain.inventory.errors import InventoryError, InventoryErrorCode
from domain.inventory.models import MoveState, PickingState
from domain.sales import services as sales
from domain.sales.errors import SalesError, SalesErrorCode
from domain.sales.models import SALE_ORDER, DeliveryStatus, SaleOrder
from tests.conftest import Db
from tests.stock import (
    check_stock_invariants,
    deliveries,
    lines_of,
    make_customer,
    make_product,
    moves_of,
    picking,
    quants,
    receive,
    sell,
    shelf,
    validate,
)


async def test_confirming_an_order_creates_a_reserved_delivery(db: Db) -> None:
    desk = await make_product(db, "DESK")
    lamp = await make_product(db, "LAMP", kind=ProductType.CONSUMABLE)
    install = await make_product(db, "INSTALL", kind=ProductType.SERVICE)
    await receive(db, desk, "10")
    customer = await make_customer(db)
    order = await sell(db, customer, [(desk, "4"), (lamp, "2"), (install, "3")])
    [delivery] = await deliveries(db, order.id)
    assert delivery.name == "WH/OUT/00001"
    assert delivery.origin_name == order.name
    assert delivery.origin == Origin(SALE_ORDER, order.id)
    assert delivery.partner_id == customer
    assert delivery.state is PickingState.ASSIGNED
    moves = await moves_of(db, delivery.id)
    # One move per storable or consumable line; the service is not delivered.
    assert [(move.product_id, move.product_qty, move.state) for move in moves] == [
        (desk, Decimal(4), MoveState.ASSIGNED),
        (lamp, Decimal(2), MoveState.ASSIGNED),
    ]
    # 10 desks on hand, 4 reserved; consumables are not counted in quants.
    assert await quants(db, desk) == {("WH/Stock", None): (Decimal(10), Decimal(4))}
    assert await quants(db, lamp) == {}
    async with db.sessions() as session:
        saved = await session.get(SaleOrder, order.id)
    assert saved is not None and saved.delivery_status is DeliveryStatus.PENDING
    await check_stock_invariants(db)


async def test_reservation_takes_the_oldest_stock_first(db: Db) -> None:
    chair = await make_product(db, "CHAIR")
    shelf_b = await shelf(db, "Shelf B")
    shelf_a = await shelf(db, "Shelf A")
    await receive(db, chair, "3", destination=shelf_b)  # in first
    await receive(db, chair, "4", destination=shelf_a)  # in second
    order = await sell(db, await make_customer(db), [(chair, "5")])
    [delivery] = await deliveries(db, order.id)
    [move] = await moves_of(db, delivery.id)
    # FIFO: all 3 from Shelf B (older), then 2 of the 4 on Shelf A.
    assert [(line.location_id, line.reserved_quantity) for line in await lines_of(db, move.id)] == [
        (shelf_b, Decimal(3)),
        (shelf_a, Decimal(2)),
    ]
    assert await quants(db, chair) == {
        ("WH/Stock/Shelf B", None): (Decimal(3), Decimal(3)),
        ("WH/Stock/Shelf A", None): (Decimal(4), Decimal(2)),
    }
    await check_stock_invariants(db)


async def test_short_stock_is_partially_reserved_and_the_next_order_waits(db: Db) -> None:
    chair = await make_product(db, "CHAIR")
    await receive(db, chair, "5")
    customer = await make_customer(db)
    first = await sell(db, customer, [(chair, "3")])
    second = await sell(db, customer, [(chair, "4")])
    third = await sell(db, customer, [(chair, "1")])
    # 5 on hand: the first takes 3, the second the 2 left of its 4, the third nothing.
    [d1], [d2], [d3] = [await deliveries(db, order.id) for order in (first, second, third)]
    assert [d.state for d in (d1, d2, d3)] == [
        PickingState.ASSIGNED,
        PickingState.PARTIALLY_AVAILABLE,
        PickingState.CONFIRMED,
    ]
    [m2] = await moves_of(db, d2.id)
    assert m2.state is MoveState.PARTIALLY_AVAILABLE
    assert sum(line.reserved_quantity for line in await lines_of(db, m2.id)) == 2
    assert await quants(db, chair) == {("WH/Stock", None): (Decimal(5), Decimal(5))}
    # Three more arrive: reserving again completes the second (2 more), then the third (1).
    await receive(db, chair, "3")
    for delivery in (d2, d3):
        await db.run(lambda uow, d=delivery: inventory.reserve_picking(uow, db.company_id, d.id))
    assert [(await picking(db, d.id)).state for d in (d2, d3)] == [
        PickingState.ASSIGNED,
        PickingState.ASSIGNED,
    ]
    assert await quants(db, chair) == {("WH/Stock", None): (Decimal(8), Decimal(8))}
    await check_stock_invariants(db)


async def test_unreserve_gives_stock_back(db: Db) -> None:
    chair = await make_product(db, "CHAIR")
    await receive(db, chair, "5")
    order = await sell(db, await make_customer(db), [(chair, "2")])
    [delivery] = await deliveries(db, order.id)
    await db.run(lambda uow: inventory.unreserve_picking(uow, db.company_id, delivery.id))
    assert (await picking(db, delivery.id)).state is PickingState.CONFIRMED
    assert await quants(db, chair) == {("WH/Stock", None): (Decimal(5), Decimal(0))}
    await check_stock_invariants(db)


async def test_cancelling_an_order_releases_its_reservations(db: Db) -> None:
    chair = await make_product(db, "CHAIR")
    await receive(db, chair, "5")
    customer = await make_customer(db)
    first = await sell(db, customer, [(chair, "4")])
    waiting = await sell(db, customer, [(chair, "3")])
    # 5 on hand: 4 for the first order, 1 of 3 for the second.
    assert await quants(db, chair) == {("WH/Stock", None): (Decimal(5), Decimal(5))}
    await db.run(lambda uow: sales.cancel_sale_order(uow, db.company_id, first.id))
    [cancelled] = await deliveries(db, first.id)
    assert cancelled.state is PickingState.CANCEL
    assert {move.state for move in await moves_of(db, cancelled.id)} == {MoveState.CANCEL}
    # The 4 go back: only the second order's 1 stays reserved.
    assert await quants(db, chair) == {("WH/Stock", None): (Decimal(5), Decimal(1))}
    async with db.sessions() as session:
        order = await session.get(SaleOrder, first.id)
    assert order is not None and order.delivery_status is DeliveryStatus.NOTHING
    [second] = await deliveries(db, waiting.id)
    await db.run(lambda uow: inventory.reserve_picking(uow, db.company_id, second.id))
    assert (await picking(db, second.id)).state is PickingState.ASSIGNED
    await check_stock_invariants(db)


async def test_an_order_with_a_done_delivery_cannot_be_cancelled(db: Db) -> None:
    chair = await make_product(db, "CHAIR")
    await receive(db, chair, "5")
    order = await sell(db, await make_customer(db), [(chair, "2")])
    [delivery] = await deliveries(db, order.id)
    await validate(db, delivery.id)
    with pytest.raises(SalesError) as refused:
        await db.run(lambda uow: sales.cancel_sale_order(uow, db.company_id, order.id))
    assert refused.value.code is SalesErrorCode.ALREADY_DELIVERED


async def test_reserving_a_done_picking_is_refused(db: Db) -> None:
    chair = await make_product(db, "CHAIR")
    done = await receive(db, chair, "5")
    with pytest.raises(InventoryError) as refused:
        await db.run(lambda uow: inventory.reserve_picking(uow, db.company_id, done.id))
    assert refused.value.code is InventoryErrorCode.INVALID_TRANSITION
