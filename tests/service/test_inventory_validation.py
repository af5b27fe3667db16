"""Validating deliveries and receipts: backorders, over-delivery, lots and serial numbers,
returns, and what the sales order learns from them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from domain.catalog.models import InvoicePolicy, Tracking
from domain.catalog.services import update_product
from domain.inventory import returns
from domain.inventory import services as inventory
from domain.inventory.errors import InventoryError, InventoryErrorCode
from domain.inventory.models import Lot, MoveState, PickingState
from domain.inventory.validation import BackorderPolicy, LotQuantity, MoveDone
from domain.sales.models import DeliveryStatus, SaleOrder, SaleOrderLine
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
    receipt,
    receive,
    sell,
    shelf,
    validate,
    warehouse,
)

D = Decimal


async def order_state(db: Db, order_id: int) -> tuple[DeliveryStatus, list[tuple[D, D]]]:
    """The order's delivery status and its lines' (delivered, to invoice) quantities."""
    async with db.sessions() as session:
        order = await session.get(SaleOrder, order_id)
        lines = await session.scalars(
            select(SaleOrderLine)
            .where(SaleOrderLine.order_id == order_id)
            .order_by(SaleOrderLine.id)
        )
        assert order is not None
        return order.delivery_status, [
            (line.qty_delivered.normalize(), line.qty_to_invoice.normalize()) for line in lines
        ]


async def test_full_delivery_marks_the_order_delivered(db: Db) -> None:
    desk = await make_product(db, "DESK", policy=InvoicePolicy.DELIVERED)
    await receive(db, desk, "10")
    order = await sell(db, await make_customer(db), [(desk, "4")])
    [delivery] = await deliveries(db, order.id)
    assert await order_state(db, order.id) == (DeliveryStatus.PENDING, [(D(0), D(0))])
    done = await validate(db, delivery.id)
    assert done.state is PickingState.DONE
    assert done.date_done is not None
    # Invoiced on delivery: the 4 delivered become invoiceable.
    assert await order_state(db, order.id) == (DeliveryStatus.FULL, [(D(4), D(4))])
    assert await quants(db, desk) == {("WH/Stock", None): (D(6), D(0))}
    await check_stock_invariants(db)


async def test_partial_delivery_creates_a_backorder_for_the_rest(db: Db) -> None:
    desk = await make_product(db, "DESK", policy=InvoicePolicy.DELIVERED)
    await receive(db, desk, "10")
    order = await sell(db, await make_customer(db), [(desk, "7")])
    [delivery] = await deliveries(db, order.id)
    [move] = await moves_of(db, delivery.id)
    with pytest.raises(InventoryError) as refused:
        await validate(db, delivery.id, [MoveDone(move.id, D(3))])
    assert refused.value.code is InventoryErrorCode.BACKORDER_CHOICE_REQUIRED
    await validate(db, delivery.id, [MoveDone(move.id, D(3))], BackorderPolicy.CREATE)
    first, rest = await deliveries(db, order.id)
    assert (first.state, first.name) == (PickingState.DONE, "WH/OUT/00001")
    assert (rest.name, rest.backorder_id, rest.state) == (
        "WH/OUT/00002",
        first.id,
        PickingState.ASSIGNED,
    )
    [done_move] = await moves_of(db, first.id)
    [rest_move] = await moves_of(db, rest.id)
    # 7 asked, 3 done: the first move keeps 3, the backorder's move the other 4, reserved.
    assert (done_move.product_qty, done_move.state) == (D(3), MoveState.DONE)
    assert (rest_move.product_qty, rest_move.state) == (D(4), MoveState.ASSIGNED)
    assert rest_move.origin == done_move.origin is not None
    # 10 − 3 = 7 on hand, 4 of them reserved for the backorder.
    assert await quants(db, desk) == {("WH/Stock", None): (D(7), D(4))}
    assert await order_state(db, order.id) == (DeliveryStatus.PARTIAL, [(D(3), D(3))])
    await validate(db, rest.id)
    assert await order_state(db, order.id) == (DeliveryStatus.FULL, [(D(7), D(7))])
    assert await quants(db, desk) == {("WH/Stock", None): (D(3), D(0))}
    await check_stock_invariants(db)


async def test_a_move_not_done_at_all_goes_whole_to_the_backorder(db: Db) -> None:
    desk = await make_product(db, "DESK")
    chair = await make_product(db, "CHAIR")
    await receive(db, desk, "5")
    await receive(db, chair, "5")
    order = await sell(db, await make_customer(db), [(desk, "2"), (chair, "3")])
    [delivery] = await deliveries(db, order.id)
    desk_move, chair_move = await moves_of(db, delivery.id)
    await validate(
        db,
        delivery.id,
        [MoveDone(desk_move.id, D(2)), MoveDone(chair_move.id, D(0))],
        BackorderPolicy.CREATE,
    )
    first, rest = await deliveries(db, order.id)
    assert [(m.product_id, m.state) for m in await moves_of(db, first.id)] == [
        (desk, MoveState.DONE)
    ]
    # The chairs' move itself went to the backorder, reserved again: 3 of 5 held.
    [moved] = await moves_of(db, rest.id)
    assert (moved.id, moved.state, rest.state) == (
        chair_move.id,
        MoveState.ASSIGNED,
        PickingState.ASSIGNED,
    )
    assert await quants(db, chair) == {("WH/Stock", None): (D(5), D(3))}
    assert await quants(db, desk) == {("WH/Stock", None): (D(3), D(0))}
    await check_stock_invariants(db)


async def test_partial_delivery_without_backorder_cancels_the_rest(db: Db) -> None:
    desk = await make_product(db, "DESK")
    await receive(db, desk, "10")
    order = await sell(db, await make_customer(db), [(desk, "7")])
    [delivery] = await deliveries(db, order.id)
    [move] = await moves_of(db, delivery.id)
    await validate(db, delivery.id, [MoveDone(move.id, D(5))], BackorderPolicy.NO_BACKORDER)
    [only] = await deliveries(db, order.id)
    assert only.state is PickingState.DONE
    moves = await moves_of(db, only.id)
    # The 2 not delivered are a cancelled move of the same picking, reserving nothing.
    assert [(m.product_qty, m.state) for m in moves] == [
        (D(5), MoveState.DONE),
        (D(2), MoveState.CANCEL),
    ]
    assert await quants(db, desk) == {("WH/Stock", None): (D(5), D(0))}
    # Every delivery is done or cancelled: the order counts as fully delivered.
    assert await order_state(db, order.id) == (DeliveryStatus.FULL, [(D(5), D(7))])
    await check_stock_invariants(db)


async def test_over_delivery_needs_the_flag(db: Db) -> None:
    desk = await make_product(db, "DESK", policy=InvoicePolicy.DELIVERED)
    await receive(db, desk, "10")
    order = await sell(db, await make_customer(db), [(desk, "4")])
    [delivery] = await deliveries(db, order.id)
    [move] = await moves_of(db, delivery.id)
    with pytest.raises(InventoryError) as refused:
        await validate(db, delivery.id, [MoveDone(move.id, D(5))])
    assert refused.value.code is InventoryErrorCode.OVER_DELIVERY
    assert refused.value.field == ["moves", "0", "quantity"]
    # Nothing changed: still 4 of 10 reserved.
    assert await quants(db, desk) == {("WH/Stock", None): (D(10), D(4))}
    await validate(db, delivery.id, [MoveDone(move.id, D(5))], allow_over_delivery=True)
    # The 4 reserved plus 1 free unit left: 5 delivered and invoiceable.
    assert await quants(db, desk) == {("WH/Stock", None): (D(5), D(0))}
    assert await order_state(db, order.id) == (DeliveryStatus.FULL, [(D(5), D(5))])
    await check_stock_invariants(db)


async def test_more_than_the_free_stock_cannot_leave(db: Db) -> None:
    desk = await make_product(db, "DESK")
    await receive(db, desk, "3")
    customer = await make_customer(db)
    first = await sell(db, customer, [(desk, "2")])
    second = await sell(db, customer, [(desk, "2")])
    [d2] = await deliveries(db, second.id)
    [m2] = await moves_of(db, d2.id)
    # 3 on hand, 2 held by the first order: the second has 1 reserved and no more is free.
    with pytest.raises(InventoryError) as refused:
        await validate(db, d2.id, [MoveDone(m2.id, D(2))])
    assert refused.value.code is InventoryErrorCode.INSUFFICIENT_STOCK
    await validate(db, d2.id, [MoveDone(m2.id, D(1))], BackorderPolicy.CREATE)
    [d1] = await deliveries(db, first.id)
    assert (await picking(db, d1.id)).state is PickingState.ASSIGNED
    assert await quants(db, desk) == {("WH/Stock", None): (D(2), D(2))}
    await check_stock_invariants(db)


async def test_receipts_of_tracked_products_need_lots(db: Db) -> None:
    wine = await make_product(db, "WINE", tracking=Tracking.LOT)
    incoming = await receipt(db, [(wine, "10")])
    [move] = await moves_of(db, incoming.id)
    with pytest.raises(InventoryError) as refused:
        await validate(db, incoming.id)
    assert refused.value.code is InventoryErrorCode.LOT_REQUIRED
    lots = [LotQuantity(D(6), lot_name="L-2024"), LotQuantity(D(4), lot_name="L-2025")]
    await validate(db, incoming.id, [MoveDone(move.id, lots=lots)])
    assert await quants(db, wine) == {
        ("WH/Stock", "L-2024"): (D(6), D(0)),
        ("WH/Stock", "L-2025"): (D(4), D(0)),
    }
    # A delivery reserves lots oldest first and takes them without being told.
    order = await sell(db, await make_customer(db), [(wine, "7")])
    [delivery] = await deliveries(db, order.id)
    [out] = await moves_of(db, delivery.id)
    reserved = [(line.lot_id, line.reserved_quantity) for line in await lines_of(db, out.id)]
    assert [quantity for _, quantity in reserved] == [D(6), D(1)]
    # The caller may pick other lots than reserved: all 4 of L-2025 and 3 of L-2024.
    chosen = [LotQuantity(D(4), lot_name="L-2025"), LotQuantity(D(3), lot_name="L-2024")]
    await validate(db, delivery.id, [MoveDone(out.id, lots=chosen)])
    assert await quants(db, wine) == {("WH/Stock", "L-2024"): (D(3), D(0))}
    await check_stock_invariants(db)


async def test_serial_numbers_are_single_units_and_unique(db: Db) -> None:
    laptop = await make_product(db, "LAPTOP", tracking=Tracking.SERIAL)
    incoming = await receipt(db, [(laptop, "2")])
    [move] = await moves_of(db, incoming.id)
    bad_cases = [
        ([LotQuantity(D(2), lot_name="SN-1")], InventoryErrorCode.SERIAL_QUANTITY),
        (
            [LotQuantity(D(1), lot_name="SN-1"), LotQuantity(D(1), lot_name="SN-1")],
            InventoryErrorCode.SERIAL_IN_STOCK,
        ),
    ]
    for lots, code in bad_cases:
        with pytest.raises(InventoryError) as refused:
            await validate(db, incoming.id, [MoveDone(move.id, lots=lots)])
        assert refused.value.code is code
    serials = [LotQuantity(D(1), lot_name="SN-1"), LotQuantity(D(1), lot_name="SN-2")]
    await validate(db, incoming.id, [MoveDone(move.id, lots=serials)])
    # SN-1 is in stock: receiving it again is refused, and nothing of that receipt changes.
    again = await receipt(db, [(laptop, "1")])
    [move_again] = await moves_of(db, again.id)
    with pytest.raises(InventoryError) as refused:
        await validate(
            db, again.id, [MoveDone(move_again.id, lots=[LotQuantity(D(1), lot_name="SN-1")])]
        )
    assert refused.value.code is InventoryErrorCode.SERIAL_IN_STOCK
    assert await quants(db, laptop) == {
        ("WH/Stock", "SN-1"): (D(1), D(0)),
        ("WH/Stock", "SN-2"): (D(1), D(0)),
    }
    async with db.sessions() as session:
        names = list(await session.scalars(select(Lot.name).order_by(Lot.name)))
    assert names == ["SN-1", "SN-2"]
    await check_stock_invariants(db)


async def test_stock_without_lots_of_a_tracked_product_cannot_be_delivered(db: Db) -> None:
    drill = await make_product(db, "DRILL")
    await receive(db, drill, "3")
    await db.run(lambda uow: update_product(uow, db.company_id, drill, {"tracking": Tracking.LOT}))
    order = await sell(db, await make_customer(db), [(drill, "1")])
    [delivery] = await deliveries(db, order.id)
    [move] = await moves_of(db, delivery.id)
    # The 3 drills came in before tracking: delivering one needs its lot.
    with pytest.raises(InventoryError) as refused:
        await validate(db, delivery.id, [MoveDone(move.id, D(1))])
    assert refused.value.code is InventoryErrorCode.LOT_REQUIRED
    # Unknown lots cannot leave.
    with pytest.raises(InventoryError) as refused:
        await validate(db, delivery.id, [MoveDone(move.id, lots=[LotQuantity(D(1), lot_name="X")])])
    assert refused.value.code is InventoryErrorCode.NOT_FOUND
    assert refused.value.field == ["moves", "0", "lots", "0", "lot_name"]


async def test_returning_a_delivery_brings_goods_back_and_lowers_delivered(db: Db) -> None:
    desk = await make_product(db, "DESK", policy=InvoicePolicy.DELIVERED)
    await receive(db, desk, "10")
    order = await sell(db, await make_customer(db), [(desk, "4")])
    [delivery] = await deliveries(db, order.id)
    await validate(db, delivery.id)
    [out] = await moves_of(db, delivery.id)
    with pytest.raises(InventoryError) as refused:
        await db.run(
            lambda uow: returns.return_picking(
                uow, db.company_id, delivery.id, [returns.ReturnQuantity(out.id, D(5))]
            )
        )
    assert refused.value.code is InventoryErrorCode.RETURN_EXCEEDS_DONE
    back = await db.run(
        lambda uow: returns.return_picking(
            uow, db.company_id, delivery.id, [returns.ReturnQuantity(out.id, D(1))]
        )
    )
    assert (back.name, back.return_id, back.state) == (
        "WH/IN/00002",
        delivery.id,
        PickingState.ASSIGNED,
    )
    [back_move] = await moves_of(db, back.id)
    assert (back_move.origin_return_move_id, back_move.product_qty) == (out.id, D(1))
    await validate(db, back.id)
    # 10 − 4 + 1 = 7 on hand; 4 − 1 = 3 delivered and invoiceable.
    assert await quants(db, desk) == {("WH/Stock", None): (D(7), D(0))}
    assert await order_state(db, order.id) == (DeliveryStatus.FULL, [(D(3), D(3))])
    # A second return without quantities sends back the 3 not returned yet.
    rest = await db.run(lambda uow: returns.return_picking(uow, db.company_id, delivery.id))
    assert [move.product_qty for move in await moves_of(db, rest.id)] == [D(3)]
    await check_stock_invariants(db)


async def test_returned_serials_come_back_under_their_numbers(db: Db) -> None:
    laptop = await make_product(db, "LAPTOP", tracking=Tracking.SERIAL)
    await receive(db, laptop, "2", lots=[("SN-1", "1"), ("SN-2", "1")])
    order = await sell(db, await make_customer(db), [(laptop, "1")])
    [delivery] = await deliveries(db, order.id)
    await validate(db, delivery.id)
    back = await db.run(lambda uow: returns.return_picking(uow, db.company_id, delivery.id))
    await validate(db, back.id)
    assert await quants(db, laptop) == {
        ("WH/Stock", "SN-1"): (D(1), D(0)),
        ("WH/Stock", "SN-2"): (D(1), D(0)),
    }
    await check_stock_invariants(db)


async def test_internal_transfer_moves_stock_between_shelves(db: Db) -> None:
    chair = await make_product(db, "CHAIR")
    await receive(db, chair, "5")
    target = await shelf(db, "Shelf A")
    stock_id = (await warehouse(db)).stock_location_id
    transfer = await db.run(
        lambda uow: inventory.create_internal_transfer(
            uow,
            db.company_id,
            source_location_id=stock_id,
            destination_location_id=target,
            moves=[{"product_id": chair, "quantity": D(2)}],
        )
    )
    assert (transfer.name, transfer.state) == ("WH/INT/00001", PickingState.ASSIGNED)
    await validate(db, transfer.id)
    # 2 moved to Shelf A, which is still inside WH/Stock.
    assert await quants(db, chair) == {
        ("WH/Stock", None): (D(3), D(0)),
        ("WH/Stock/Shelf A", None): (D(2), D(0)),
    }
    await check_stock_invariants(db)
