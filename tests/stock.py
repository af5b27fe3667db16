"""Stock built through the inventory services, and the invariants every test can check."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from domain.catalog import services as catalog
from domain.catalog.models import InvoicePolicy, Product, ProductType, Tracking
from domain.core.origins import Origin
from domain.inventory import services as inventory
from domain.inventory import warehouses
from domain.inventory.models import (
    Location,
    LocationUsage,
    Move,
    MoveLine,
    MoveState,
    Picking,
    PickingState,
    PickingTypeCode,
    Quant,
    Warehouse,
)
from domain.inventory.reservation import RESERVABLE
from domain.inventory.validation import BackorderPolicy, LotQuantity, MoveDone, validate_picking
from domain.partners import services as partners
from domain.sales import services as sales
from domain.sales.models import SALE_ORDER, SaleOrder
from tests.conftest import Db

ZERO = Decimal(0)


async def make_product(
    db: Db,
    sku: str,
    *,
    kind: ProductType = ProductType.STORABLE,
    tracking: Tracking = Tracking.NONE,
    policy: InvoicePolicy = InvoicePolicy.ORDERED,
    price: str = "10.00",
) -> int:
    product = await db.run(
        lambda uow: catalog.create_product(
            uow,
            db.company_id,
            {
                "sku": sku,
                "name": sku.title(),
                "type": kind,
                "tracking": tracking,
                "invoice_policy": policy,
                "list_price": Decimal(price),
            },
        )
    )
    return product.id


async def make_customer(db: Db, name: str = "Azure Interior") -> int:
    partner = await db.run(
        lambda uow: partners.create_partner(uow, db.company_id, {"name": name, "is_customer": True})
    )
    return partner.id


async def warehouse(db: Db) -> Warehouse:
    return await db.run(lambda uow: warehouses.default_warehouse(uow, db.company_id))


async def location(db: Db, full_name: str) -> Location:
    async with db.sessions() as session:
        found = await session.scalar(
            select(Location).where(
                Location.company_id == db.company_id, Location.full_name == full_name
            )
        )
    assert found is not None, full_name
    return found


async def shelf(db: Db, name: str, parent: str = "WH/Stock") -> int:
    parent_id = (await location(db, parent)).id
    created = await db.run(
        lambda uow: warehouses.create_location(uow, db.company_id, name=name, parent_id=parent_id)
    )
    return created.id


async def receipt(
    db: Db,
    lines: Sequence[tuple[int, str]],
    *,
    destination: int | None = None,
    scheduled: dt.datetime | None = None,
    confirm: bool = True,
) -> Picking:
    """A receipt from the vendors of `lines` (product, quantity), confirmed by default."""
    wh = await warehouse(db)

    async def create(uow: Any) -> Picking:
        kind = await warehouses.picking_type(uow, db.company_id, wh.id, PickingTypeCode.RECEIPT)
        values: inventory.PickingValues = {"operation_type_id": kind.id}
        if destination is not None:
            values["destination_location_id"] = destination
        if scheduled is not None:
            values["scheduled_date"] = scheduled
        picking = await inventory.create_picking(
            uow,
            db.company_id,
            values,
            [{"product_id": product, "quantity": Decimal(qty)} for product, qty in lines],
        )
        if confirm:
            await inventory.confirm_picking(uow, db.company_id, picking.id)
        return picking

    return await db.run(create)


async def receive(
    db: Db,
    product_id: int,
    quantity: str,
    *,
    destination: int | None = None,
    lots: Sequence[tuple[str, str]] = (),
) -> Picking:
    """Goods received and validated at once (into WH/Stock unless `destination`)."""
    picking = await receipt(db, [(product_id, quantity)], destination=destination)
    moves = await moves_of(db, picking.id)
    done = [
        MoveDone(
            move_id=moves[0].id,
            lots=[LotQuantity(Decimal(qty), lot_name=name) for name, qty in lots],
        )
    ]
    return await validate(db, picking.id, done if lots else ())


async def validate(
    db: Db,
    picking_id: int,
    moves: Sequence[MoveDone] = (),
    backorder: BackorderPolicy | None = None,
    allow_over_delivery: bool = False,
) -> Picking:
    return await db.run(
        lambda uow: validate_picking(
            uow,
            db.company_id,
            picking_id,
            moves=moves,
            backorder=backorder,
            allow_over_delivery=allow_over_delivery,
        )
    )


async def sell(
    db: Db, customer: int, lines: Sequence[tuple[int, str]], *, confirm: bool = True
) -> SaleOrder:
    """A sales order of `lines` (product, quantity), confirmed by default."""

    async def create(uow: Any) -> SaleOrder:
        order = await sales.create_sale_order(
            uow,
            db.company_id,
            {"partner_id": customer},
            [{"product_id": product, "quantity": Decimal(qty)} for product, qty in lines],
        )
        if confirm:
            await sales.confirm_sale_order(uow, db.company_id, order.id)
        return order

    return await db.run(create)


async def deliveries(db: Db, order_id: int) -> list[Picking]:
    async with db.sessions() as session:
        rows = await session.scalars(
            select(Picking)
            .where(Picking.origin == Origin(SALE_ORDER, order_id))
            .order_by(Picking.id)
        )
        return list(rows)


async def picking(db: Db, picking_id: int) -> Picking:
    async with db.sessions() as session:
        found = await session.get(Picking, picking_id)
    assert found is not None
    return found


async def moves_of(db: Db, picking_id: int) -> list[Move]:
    async with db.sessions() as session:
        rows = await session.scalars(
            select(Move).where(Move.picking_id == picking_id).order_by(Move.id)
        )
        return list(rows)


async def lines_of(db: Db, move_id: int) -> list[MoveLine]:
    async with db.sessions() as session:
        rows = await session.scalars(
            select(MoveLine).where(MoveLine.move_id == move_id).order_by(MoveLine.id)
        )
        return list(rows)


async def quants(db: Db, product_id: int) -> dict[tuple[str, str | None], tuple[Decimal, Decimal]]:
    """{(location full name, lot name): (quantity, reserved)} of a product, empty ones left out."""
    from domain.inventory.models import Lot

    async with db.sessions() as session:
        rows = await session.execute(
            select(Location.full_name, Lot.name, Quant.quantity, Quant.reserved_quantity)
            .join(Location, Location.id == Quant.location_id)
            .outerjoin(Lot, Lot.id == Quant.lot_id)
            .where(Quant.product_id == product_id)
        )
        return {
            (place, lot): (quantity.normalize(), reserved.normalize())
            for place, lot, quantity, reserved in rows
            if quantity or reserved
        }


def states(pickings: Sequence[Picking]) -> list[PickingState]:
    return [found.state for found in pickings]


async def check_stock_invariants(db: Db) -> None:
    """For every internal location, product and lot: the quant holds exactly what done moves
    brought in less what they took out, and reserves exactly what open moves' lines hold;
    and nothing reserves more than it holds."""
    async with db.sessions() as session:
        internal = set(
            await session.scalars(
                select(Location.id).where(Location.usage == LocationUsage.INTERNAL)
            )
        )
        storable = set(
            await session.scalars(select(Product.id).where(Product.type == ProductType.STORABLE))
        )
        expected: dict[tuple[int, int, int | None], Decimal] = defaultdict(Decimal)
        held: dict[tuple[int, int, int | None], Decimal] = defaultdict(Decimal)
        rows = await session.execute(
            select(MoveLine, Move.state, Move.location_id).join(Move, Move.id == MoveLine.move_id)
        )
        for line, state, move_source in rows:
            if line.product_id not in storable:
                continue
            if state is MoveState.DONE:
                if line.location_dest_id in internal:
                    expected[(line.product_id, line.location_dest_id, line.lot_id)] += (
                        line.quantity_done
                    )
                if line.location_id in internal:
                    expected[(line.product_id, line.location_id, line.lot_id)] -= line.quantity_done
            elif state in RESERVABLE and move_source in internal:
                held[(line.product_id, line.location_id, line.lot_id)] += line.reserved_quantity
            else:
                assert line.quantity_done == 0, "only done moves have done lines"
        found = {
            (quant.product_id, quant.location_id, quant.lot_id): quant
            for quant in await session.scalars(select(Quant))
        }
    for key in expected.keys() | held.keys() | found.keys():
        quant = found.get(key)
        quantity = quant.quantity if quant else ZERO
        reserved = quant.reserved_quantity if quant else ZERO
        assert key[1] in internal, f"quant outside internal locations: {key}"
        assert quantity == expected[key], f"{key}: quant {quantity} != moves {expected[key]}"
        assert reserved == held[key], f"{key}: reserved {reserved} != lines {held[key]}"
        assert ZERO <= reserved <= quantity, f"{key}: reserved {reserved} of {quantity}"
