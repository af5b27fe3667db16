"""Perpetual valuation at average cost: layers per move, Stock-journal entries, invariants."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from domain.accounting.models import Account, JournalEntry, JournalLine
from domain.inventory import services as inventory
from domain.inventory import warehouses
from domain.inventory.adjustments import (
    CountedQuantity,
    apply_inventory_adjustment,
    scrap_product,
)
from domain.inventory.models import (
    Picking,
    PickingTypeCode,
    ProductCost,
    ValuationLayer,
)
from domain.inventory.returns import ReturnQuantity, return_picking
from domain.inventory.validation import MoveDone, validate_picking
from tests.conftest import Db, postgres_only
from tests.ledger import check_valuation_invariants, stock_account_balance
from tests.stock import check_stock_invariants, make_product, moves_of, validate, warehouse

D = Decimal
CENT = D("0.01")


async def receive_at(db: Db, product_id: int, quantity: str, price: str | None) -> Picking:
    """A receipt from the vendors at a unit cost (the standard price when None), validated."""
    return await _transfer(db, PickingTypeCode.RECEIPT, product_id, quantity, price)


async def ship(db: Db, product_id: int, quantity: str) -> Picking:
    """A delivery to the customers from WH/Stock, validated."""
    return await _transfer(db, PickingTypeCode.DELIVERY, product_id, quantity, None)


async def _transfer(
    db: Db, code: PickingTypeCode, product_id: int, quantity: str, price: str | None
) -> Picking:
    wh = await warehouse(db)

    async def create(uow: Any) -> Picking:
        kind = await warehouses.picking_type(uow, db.company_id, wh.id, code)
        move: inventory.MoveValues = {"product_id": product_id, "quantity": D(quantity)}
        if price is not None:
            move["price_unit"] = D(price)
        picking = await inventory.create_picking(
            uow, db.company_id, {"operation_type_id": kind.id}, [move]
        )
        await inventory.confirm_picking(uow, db.company_id, picking.id)
        return picking

    picking = await db.run(create)
    [move] = await moves_of(db, picking.id)
    return await validate(db, picking.id, [MoveDone(move.id, D(quantity))])


async def layers(db: Db, product_id: int) -> list[tuple[Decimal, Decimal]]:
    """(quantity, value) of the product's layers, oldest first."""
    async with db.sessions() as session:
        rows = await session.scalars(
            select(ValuationLayer)
            .where(ValuationLayer.product_id == product_id)
            .order_by(ValuationLayer.id)
        )
        return [(layer.quantity.normalize(), layer.value.quantize(CENT)) for layer in rows]


async def cost(db: Db, product_id: int) -> ProductCost:
    async with db.sessions() as session:
        found = await session.scalar(
            select(ProductCost).where(ProductCost.product_id == product_id)
        )
    assert found is not None
    return found


async def test_worked_example_at_average_cost(db: Db) -> None:
    widget = await make_product(db, "WIDGET")
    await receive_at(db, widget, "10", "8.00")
    await ship(db, widget, "3")
    await receive_at(db, widget, "10", "10.00")
    assert (await cost(db, widget)).average_cost == D("9.176471")
    await ship(db, widget, "17")
    assert await layers(db, widget) == [
        (D(10), D("80.00")),
        (D(-3), D("-24.00")),
        (D(10), D("100.00")),
        (D(-17), D("-156.00")),
    ]
    found = await cost(db, widget)
    assert (found.quantity, found.value) == (D(0), D(0))
    assert await stock_account_balance(db) == D("0.00")
    await check_valuation_invariants(db)
    await check_stock_invariants(db)


async def test_entries_book_receipts_against_received_not_billed_and_deliveries_to_cogs(
    db: Db,
) -> None:
    widget = await make_product(db, "WIDGET")
    receipt = await receive_at(db, widget, "4", "2.50")
    delivery = await ship(db, widget, "1")
    async with db.sessions() as session:
        rows = await session.execute(
            select(JournalEntry.ref, Account.role, JournalLine.debit, JournalLine.credit)
            .join(JournalLine, JournalLine.entry_id == JournalEntry.id)
            .join(Account, Account.id == JournalLine.account_id)
            .order_by(JournalEntry.id, JournalLine.sequence)
        )
        booked = [
            (ref, role, debit.quantize(CENT), credit.quantize(CENT))
            for ref, role, debit, credit in rows
        ]
    assert booked == [
        (receipt.name, "stock_valuation", D("10.00"), D("0.00")),
        (receipt.name, "stock_received_not_billed", D("0.00"), D("10.00")),
        (delivery.name, "cogs", D("2.50"), D("0.00")),
        (delivery.name, "stock_valuation", D("0.00"), D("2.50")),
    ]


async def test_rounding_the_last_unit_out_takes_the_remainder(db: Db) -> None:
    bolt = await make_product(db, "BOLT")
    await receive_at(db, bolt, "3", "10.00")
    await receive_at(db, bolt, "1", "10.01")
    # 40.01 for 4: average 10.0025 → 1 out at 10.00, leaving 30.01 for 3;
    # average 10.00333… → 1 out at 10.00, leaving 20.01 for 2; the last 2 take 20.01.
    await ship(db, bolt, "1")
    await ship(db, bolt, "1")
    await ship(db, bolt, "2")
    assert await layers(db, bolt) == [
        (D(3), D("30.00")),
        (D(1), D("10.01")),
        (D(-1), D("-10.00")),
        (D(-1), D("-10.00")),
        (D(-2), D("-20.01")),
    ]
    assert await stock_account_balance(db) == D("0.00")
    await check_valuation_invariants(db)


async def test_receipt_without_a_price_is_valued_at_the_standard_price(db: Db) -> None:
    from domain.catalog.services import update_product

    nut = await make_product(db, "NUT")
    await db.run(lambda uow: update_product(uow, db.company_id, nut, {"standard_price": D("1.25")}))
    await receive_at(db, nut, "4", None)
    assert await layers(db, nut) == [(D(4), D("5.00"))]


async def test_customer_returns_come_back_at_the_cost_they_left_with(db: Db) -> None:
    widget = await make_product(db, "WIDGET")
    await receive_at(db, widget, "10", "8.00")
    delivery = await ship(db, widget, "4")
    await receive_at(db, widget, "6", "12.00")  # average now (48 + 72) / 12 = 10.00
    [sent] = await moves_of(db, delivery.id)
    back = await db.run(
        lambda uow: return_picking(uow, db.company_id, delivery.id, [ReturnQuantity(sent.id, D(1))])
    )
    await validate(db, back.id)
    assert (await layers(db, widget))[-1] == (D(1), D("8.00"))
    await check_valuation_invariants(db)


async def test_invariants_over_receipts_deliveries_adjustments_and_scrap(db: Db) -> None:
    chair = await make_product(db, "CHAIR")
    table = await make_product(db, "TABLE")
    stock = (await warehouse(db)).stock_location_id
    await receive_at(db, chair, "7", "3.33")
    await receive_at(db, table, "2", "99.99")
    await ship(db, chair, "2")
    await receive_at(db, chair, "5", "4.17")
    await db.run(lambda uow: scrap_product(uow, db.company_id, product_id=chair, quantity=D(1)))
    await db.run(
        lambda uow: apply_inventory_adjustment(
            uow,
            db.company_id,
            stock,
            [CountedQuantity(chair, D(6)), CountedQuantity(table, D(5))],
        )
    )
    await check_valuation_invariants(db)
    await ship(db, table, "1")
    await ship(db, chair, "6")
    await db.run(lambda uow: scrap_product(uow, db.company_id, product_id=table, quantity=D(4)))
    await check_valuation_invariants(db)
    assert await stock_account_balance(db) == D("0.00")
    await check_stock_invariants(db)


@postgres_only
async def test_concurrent_receipts_and_deliveries_keep_the_books_equal_to_the_layers(
    db: Db,
) -> None:
    from tests.service.test_inventory_concurrency import run_concurrently

    widget = await make_product(db, "WIDGET")
    wh = await warehouse(db)

    async def draft(code: PickingTypeCode, quantity: str, price: str | None) -> int:
        async def create(uow: Any) -> int:
            kind = await warehouses.picking_type(uow, db.company_id, wh.id, code)
            move: inventory.MoveValues = {"product_id": widget, "quantity": D(quantity)}
            if price is not None:
                move["price_unit"] = D(price)
            picking = await inventory.create_picking(
                uow, db.company_id, {"operation_type_id": kind.id}, [move]
            )
            return picking.id

        return await db.run(create)

    def validating(picking_id: int) -> Any:
        return lambda uow: validate_picking(uow, db.company_id, picking_id)

    # The product's first receipts race to create its cost row.
    receipts = [await draft(PickingTypeCode.RECEIPT, "5", f"{3 + i}.33") for i in range(6)]
    results = run_concurrently([validating(picking_id) for picking_id in receipts])
    assert not any(isinstance(result, BaseException) for result in results), results
    shipments = [await draft(PickingTypeCode.DELIVERY, "3", None) for _ in range(10)]
    results = run_concurrently([validating(picking_id) for picking_id in shipments])
    assert not any(isinstance(result, BaseException) for result in results), results
    found = await cost(db, widget)
    assert found.quantity == 0
    assert found.value == 0
    assert await stock_account_balance(db) == D("0.00")
    await check_valuation_invariants(db)
    await check_stock_invariants(db)
