"""Inventory adjustments, scrap, and availability with its forecast."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from domain.catalog.models import ProductType, Tracking
from domain.catalog.services import update_product
from domain.core.db import utcnow
from domain.inventory import services as inventory
from domain.inventory.adjustments import (
    CountedQuantity,
    apply_inventory_adjustment,
    scrap_product,
)
from domain.inventory.availability import Availability, stock_availability
from domain.inventory.errors import InventoryError, InventoryErrorCode
from domain.inventory.models import Move, MoveState, PickingState
from domain.inventory.validation import MoveDone
from tests.conftest import Db
from tests.stock import (
    check_stock_invariants,
    deliveries,
    location,
    make_customer,
    make_product,
    moves_of,
    picking,
    quants,
    receipt,
    receive,
    sell,
    shelf,
    validate,
    warehouse,
)

D = Decimal


async def adjust(db: Db, location_id: int, *counts: CountedQuantity) -> list[Move]:
    return await db.run(
        lambda uow: apply_inventory_adjustment(uow, db.company_id, location_id, counts)
    )


async def test_adjustment_moves_the_differences_to_and_from_inventory(db: Db) -> None:
    chair = await make_product(db, "CHAIR")
    table = await make_product(db, "TABLE")
    stock = (await warehouse(db)).stock_location_id
    await receive(db, chair, "10")
    moves = await adjust(db, stock, CountedQuantity(chair, D(8)), CountedQuantity(table, D(3)))
    counterpart = await location(db, "Virtual Locations/Inventory adjustment")
    # Chairs: 10 recorded, 8 counted, 2 go out; tables: 0 recorded, 3 counted, 3 come in.
    assert [(m.product_id, m.product_qty, m.location_id, m.state) for m in moves] == [
        (chair, D(2), stock, MoveState.DONE),
        (table, D(3), counterpart.id, MoveState.DONE),
    ]
    assert await quants(db, chair) == {("WH/Stock", None): (D(8), D(0))}
    assert await quants(db, table) == {("WH/Stock", None): (D(3), D(0))}
    await check_stock_invariants(db)


async def test_counting_below_the_reservation_cuts_the_newest_reservations(db: Db) -> None:
    chair = await make_product(db, "CHAIR")
    stock = (await warehouse(db)).stock_location_id
    await receive(db, chair, "6")
    customer = await make_customer(db)
    older = await sell(db, customer, [(chair, "3")])
    newer = await sell(db, customer, [(chair, "3")])
    await adjust(db, stock, CountedQuantity(chair, D(4)))
    # 6 reserved, 4 counted: the newer order gives back 2 and keeps 1.
    [d_old], [d_new] = await deliveries(db, older.id), await deliveries(db, newer.id)
    assert [(await picking(db, d.id)).state for d in (d_old, d_new)] == [
        PickingState.ASSIGNED,
        PickingState.PARTIALLY_AVAILABLE,
    ]
    assert await quants(db, chair) == {("WH/Stock", None): (D(4), D(4))}
    await check_stock_invariants(db)


async def test_adjustment_counts_lots_and_gives_untracked_stock_lots(db: Db) -> None:
    drill = await make_product(db, "DRILL")
    stock = (await warehouse(db)).stock_location_id
    await receive(db, drill, "3")
    await db.run(lambda uow: update_product(uow, db.company_id, drill, {"tracking": Tracking.LOT}))
    order = await sell(db, await make_customer(db), [(drill, "2")])
    [delivery] = await deliveries(db, order.id)
    # Stock without lot of a tracked product is not reserved for deliveries.
    assert delivery.state is PickingState.CONFIRMED
    await adjust(
        db, stock, CountedQuantity(drill, D(0)), CountedQuantity(drill, D(3), lot_name="D-1")
    )
    # The counted lot serves the delivery waiting for it.
    assert await quants(db, drill) == {("WH/Stock", "D-1"): (D(3), D(2))}
    await validate(db, delivery.id)
    assert await quants(db, drill) == {("WH/Stock", "D-1"): (D(1), D(0))}
    await check_stock_invariants(db)


async def test_bad_counts_are_refused_whole(db: Db) -> None:
    chair = await make_product(db, "CHAIR")
    lamp = await make_product(db, "LAMP", kind=ProductType.CONSUMABLE)
    laptop = await make_product(db, "LAPTOP", tracking=Tracking.SERIAL)
    stock = (await warehouse(db)).stock_location_id
    view = (await warehouse(db)).view_location_id
    cases = [
        (stock, [CountedQuantity(chair, D(1)), CountedQuantity(chair, D(-1))], "INVALID"),
        (stock, [CountedQuantity(chair, D(1)), CountedQuantity(lamp, D(1))], "NOT_STORABLE"),
        (stock, [CountedQuantity(laptop, D(2), lot_name="SN")], "SERIAL_QUANTITY"),
        (stock, [CountedQuantity(chair, D(1)), CountedQuantity(chair, D(2))], "INVALID"),
        (view, [CountedQuantity(chair, D(1))], "INVALID"),
    ]
    for place, counts, code in cases:
        with pytest.raises(InventoryError) as refused:
            await adjust(db, place, *counts)
        assert refused.value.code.name == code
    async with db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Move)) == 0
    assert await quants(db, chair) == {}


async def test_scrap_writes_off_free_stock(db: Db) -> None:
    chair = await make_product(db, "CHAIR")
    await receive(db, chair, "5")
    await sell(db, await make_customer(db), [(chair, "3")])
    # 5 on hand, 3 reserved: 2 are free to scrap, 3 are not.
    with pytest.raises(InventoryError) as refused:
        await db.run(lambda uow: scrap_product(uow, db.company_id, product_id=chair, quantity=D(3)))
    assert refused.value.code is InventoryErrorCode.INSUFFICIENT_STOCK
    move = await db.run(
        lambda uow: scrap_product(uow, db.company_id, product_id=chair, quantity=D(2))
    )
    scrap = await location(db, "Virtual Locations/Scrap")
    assert (move.location_dest_id, move.state, move.product_qty) == (
        scrap.id,
        MoveState.DONE,
        D(2),
    )
    assert await quants(db, chair) == {("WH/Stock", None): (D(3), D(3))}
    await check_stock_invariants(db)


async def availability(
    db: Db, *keys: tuple[int, int | None, dt.date | None]
) -> list[tuple[Decimal, ...]]:
    async with db.sessions() as session:
        found = await stock_availability(session.execute, db.company_id, keys)
    return [_figures(entry) for entry in found]


def _figures(entry: Availability) -> tuple[Decimal, ...]:
    return tuple(
        value.normalize()
        for value in (
            entry.on_hand,
            entry.reserved,
            entry.available,
            entry.incoming,
            entry.outgoing,
            entry.forecast,
        )
    )


async def test_availability_and_forecast_per_warehouse_and_date(db: Db) -> None:
    chair = await make_product(db, "CHAIR")
    table = await make_product(db, "TABLE")
    wh = await warehouse(db)
    await receive(db, chair, "10")
    today = utcnow()
    next_week = today + dt.timedelta(days=7)
    # 6 more chairs expected next week; 8 sold now, all 8 reserved from the 10.
    await receipt(db, [(chair, "6")], scheduled=next_week)
    customer = await make_customer(db)
    await sell(db, customer, [(chair, "8")])
    await receive(db, table, "2", destination=await shelf(db, "Shelf A"))
    figures = await availability(
        db,
        (chair, wh.id, None),
        (chair, wh.id, today.date()),
        (chair, wh.id, next_week.date()),
        (table, wh.id, None),
        (chair, None, None),
    )
    # Chairs: on hand 10, reserved 8, available 2; 6 coming next week, 8 going now.
    assert figures[0] == (D(10), D(8), D(2), D(6), D(8), D(8))
    # As of today the receipt is not due yet: forecast 10 + 0 − 8 = 2.
    assert figures[1] == (D(10), D(8), D(2), D(0), D(8), D(2))
    # As of next week: 10 + 6 − 8 = 8.
    assert figures[2] == (D(10), D(8), D(2), D(6), D(8), D(8))
    # Tables on a shelf of the warehouse count in it.
    assert figures[3] == (D(2), D(0), D(2), D(0), D(0), D(2))
    # Without a warehouse: the whole company, the same here.
    assert figures[4] == figures[0]


async def test_transfers_inside_a_warehouse_are_neither_incoming_nor_outgoing(db: Db) -> None:
    chair = await make_product(db, "CHAIR")
    wh = await warehouse(db)
    await receive(db, chair, "4")
    target = await shelf(db, "Shelf A")
    await db.run(
        lambda uow: inventory.create_internal_transfer(
            uow,
            db.company_id,
            source_location_id=wh.stock_location_id,
            destination_location_id=target,
            moves=[{"product_id": chair, "quantity": D(4)}],
        )
    )
    [figures] = await availability(db, (chair, wh.id, None))
    assert figures == (D(4), D(4), D(0), D(0), D(0), D(4))


async def test_a_draft_receipt_validated_at_once_is_confirmed_first(db: Db) -> None:
    chair = await make_product(db, "CHAIR")
    draft = await receipt(db, [(chair, "3")], confirm=False)
    [move] = await moves_of(db, draft.id)
    assert move.state is MoveState.DRAFT
    await validate(db, draft.id, [MoveDone(move.id, D(3))])
    assert (await picking(db, draft.id)).state is PickingState.DONE
    assert await quants(db, chair) == {("WH/Stock", None): (D(3), D(0))}
    await check_stock_invariants(db)
