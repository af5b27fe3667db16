"""Pickings from creation to cancellation: by hand, for another area's documents, between
locations.

Warehouses and locations live in `warehouses`, validating pickings in `validation`, returns
in `returns`, scrap and inventory adjustments in `adjustments`, reservation in
`reservation`, and the locked quants every operation works on in `stock`.

Lock order, everywhere: quants (`Stock.lock`), then pickings, then sequence counters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from sqlalchemy import func, select

from domain.catalog.models import Product, ProductType
from domain.catalog.pricing import product_unit
from domain.core.db import utcnow
from domain.core.errors import DomainError
from domain.core.models import Uom
from domain.core.origins import Origin
from domain.core.records import get_owned
from domain.core.services import check_quantity, convert_quantity, next_sequence_number
from domain.core.uow import UnitOfWork
from domain.inventory.errors import InventoryError, InventoryErrorCode
from domain.inventory.events import OriginPickings, PickingCancelled
from domain.inventory.models import (
    Location,
    LocationUsage,
    Move,
    MoveState,
    Picking,
    PickingState,
    PickingType,
    PickingTypeCode,
)
from domain.inventory.reservation import (
    OPEN,
    lines_of,
    refresh_picking_states,
    reserve_moves,
    set_state,
    unreserve_moves,
)
from domain.inventory.stock import Stock
from domain.inventory.warehouses import default_warehouse, picking_type, warehouse_of
from domain.partners.models import Partner


class MoveValues(TypedDict, total=False):
    """A move as the caller gives it; the unit defaults to the product's."""

    product_id: int
    quantity: Decimal
    uom_id: int
    name: str
    #: The document line the move fulfils.
    origin: Origin
    #: Unit cost of goods coming in, per product unit; the product's standard price if not given.
    price_unit: Decimal


class PickingValues(TypedDict, total=False):
    """Header of a picking; locations default to the operation type's."""

    operation_type_id: int
    partner_id: int | None
    scheduled_date: dt.datetime
    #: The name of the document it comes from.
    origin_name: str | None
    source_location_id: int
    destination_location_id: int


# Creating pickings ----------------------------------------------------------------------


async def create_picking(
    uow: UnitOfWork,
    company_id: int,
    values: PickingValues,
    moves: Sequence[MoveValues],
    *,
    origin: Origin | None = None,
    backorder_id: int | None = None,
    return_id: int | None = None,
) -> Picking:
    """A draft picking with its moves, numbered from its operation type's sequence; `origin`
    is the document it is made for."""
    type_id = values.get("operation_type_id")
    kind = await get_owned(uow.session, PickingType, type_id, company_id) if type_id else None
    if kind is None:
        raise InventoryError(
            InventoryErrorCode.NOT_FOUND, "No such operation type.", field=["operation_type_id"]
        )
    partner_id = values.get("partner_id")
    if partner_id is not None and not await get_owned(uow.session, Partner, partner_id, company_id):
        raise InventoryError(InventoryErrorCode.NOT_FOUND, "No such partner.", field=["partner_id"])
    source_id = values.get("source_location_id") or kind.default_location_id
    destination_id = values.get("destination_location_id") or kind.default_location_dest_id
    stock = Stock(uow, company_id)
    await stock.load_locations([source_id, destination_id])
    _check_ends(stock, kind.code, source_id, destination_id)
    if not moves:
        raise InventoryError(
            InventoryErrorCode.REQUIRED, "Give at least one move.", field=["moves"]
        )
    when = values.get("scheduled_date") or utcnow()
    picking = Picking(
        company_id=company_id,
        name=await next_sequence_number(
            uow, company_id, f"stock.picking.{kind.id}", prefix=kind.sequence_prefix
        ),
        picking_type_id=kind.id,
        state=PickingState.DRAFT,
        partner_id=partner_id,
        location_id=source_id,
        location_dest_id=destination_id,
        scheduled_date=when,
        origin_name=(values.get("origin_name") or "").strip() or None,
        origin=origin,
        backorder_id=backorder_id,
        return_id=return_id,
    )
    uow.session.add(picking)
    await uow.session.flush()
    await add_moves(uow, picking, moves)
    return picking


def _check_ends(stock: Stock, code: PickingTypeCode, source_id: int, destination_id: int) -> None:
    for field, location_id in (
        ("source_location_id", source_id),
        ("destination_location_id", destination_id),
    ):
        location = stock.locations.get(location_id)
        if location is None:
            raise InventoryError(InventoryErrorCode.NOT_FOUND, "No such location.", field=[field])
        if location.usage is LocationUsage.VIEW:
            raise InventoryError(
                InventoryErrorCode.INVALID, "Goods cannot sit in a view location.", field=[field]
            )
    internal_end = {
        PickingTypeCode.RECEIPT: [("location_dest_id", destination_id)],
        PickingTypeCode.DELIVERY: [("location_id", source_id)],
        PickingTypeCode.INTERNAL: [
            ("location_id", source_id),
            ("location_dest_id", destination_id),
        ],
    }[code]
    for field, location_id in internal_end:
        if not stock.is_internal(location_id):
            raise InventoryError(
                InventoryErrorCode.INVALID,
                f"A {code.value} needs an internal location here.",
                field=[field],
            )
    if source_id == destination_id:
        raise InventoryError(
            InventoryErrorCode.INVALID,
            "Source and destination are the same location.",
            field=["destination_location_id"],
        )


async def add_moves(uow: UnitOfWork, picking: Picking, values: Sequence[MoveValues]) -> list[Move]:
    """Draft moves of `picking`, one per entry of `values`, checked as a whole."""
    product_ids = {value.get("product_id") for value in values} - {None}
    products = {
        product.id: product
        for product in await uow.session.scalars(
            select(Product).where(
                Product.id.in_(product_ids), Product.company_id == picking.company_id
            )
        )
    }
    uom_ids = {value["uom_id"] for value in values if value.get("uom_id")}
    uom_ids |= {product.uom_id for product in products.values()}
    uoms = {
        uom.id: uom for uom in await uow.session.scalars(select(Uom).where(Uom.id.in_(uom_ids)))
    }
    moves = []
    for index, value in enumerate(values):
        try:
            moves.append(_new_move(picking, value, products, uoms))
        except DomainError as error:
            raise error.at("moves", str(index)) from None
    uow.session.add_all(moves)
    await uow.session.flush()
    return moves


def _new_move(
    picking: Picking, value: MoveValues, products: dict[int, Product], uoms: dict[int, Uom]
) -> Move:
    product = products.get(value.get("product_id") or 0)
    if product is None:
        raise InventoryError(InventoryErrorCode.NOT_FOUND, "No such product.", field=["product_id"])
    if product.type is ProductType.SERVICE:
        raise InventoryError(
            InventoryErrorCode.NOT_STORABLE, "Services are not moved.", field=["product_id"]
        )
    quantity = value.get("quantity")
    if quantity is None or quantity <= 0:
        raise InventoryError(
            InventoryErrorCode.INVALID, "The quantity must be positive.", field=["quantity"]
        )
    product_uom = uoms[product.uom_id]
    uom = product_unit(product, value.get("uom_id") or product.uom_id, uoms)
    check_quantity(quantity, uom)
    price_unit = value.get("price_unit")
    if price_unit is not None and price_unit < 0:
        raise InventoryError(
            InventoryErrorCode.INVALID, "The unit cost cannot be negative.", field=["price_unit"]
        )
    product_qty = convert_quantity(quantity, uom, product_uom)
    if product_qty <= 0:
        raise InventoryError(
            InventoryErrorCode.INVALID,
            f"The quantity rounds to nothing in {product_uom.name}.",
            field=["quantity"],
        )
    return Move(
        company_id=picking.company_id,
        picking_id=picking.id,
        product_id=product.id,
        name=(value.get("name") or "").strip() or product.name,
        state=MoveState.DRAFT,
        quantity=quantity,
        uom_id=uom.id,
        product_qty=product_qty,
        location_id=picking.location_id,
        location_dest_id=picking.location_dest_id,
        date=picking.scheduled_date,
        origin_name=picking.origin_name,
        origin=value.get("origin"),
        price_unit=price_unit,
    )


# Working on existing pickings -----------------------------------------------------------


@dataclass
class OpenPicking:
    """A picking locked with its moves, and the locked stock those moves work on (pickings
    opened together share one)."""

    picking: Picking
    moves: list[Move]
    stock: Stock


async def open_pickings(
    uow: UnitOfWork, company_id: int, picking_ids: Sequence[int]
) -> list[OpenPicking]:
    """Lock the stock the pickings' moves touch, then the pickings, and load their moves."""
    ids = sorted(set(picking_ids))
    found = (
        await uow.session.execute(
            select(Move.product_id, Move.location_id, Move.location_dest_id, Move.uom_id)
            .join(Picking, Picking.id == Move.picking_id)
            .where(Picking.id.in_(ids), Picking.company_id == company_id)
        )
    ).all()
    ends = (
        await uow.session.execute(
            select(Picking.location_id, Picking.location_dest_id).where(
                Picking.id.in_(ids), Picking.company_id == company_id
            )
        )
    ).all()
    stock = await Stock.lock(
        uow,
        company_id,
        {row.product_id for row in found},
        {row.location_id for row in found}
        | {row.location_dest_id for row in found}
        | {location for row in ends for location in row},
        {row.uom_id for row in found},
    )
    pickings = list(
        await uow.session.scalars(
            select(Picking)
            .where(Picking.id.in_(ids), Picking.company_id == company_id)
            .order_by(Picking.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )
    if len(pickings) != len(ids):
        raise InventoryError(InventoryErrorCode.NOT_FOUND, "No such picking.", field=["id"])
    moves = list(
        await uow.session.scalars(
            select(Move)
            .where(Move.picking_id.in_(ids))
            .order_by(Move.id)
            .execution_options(populate_existing=True)
        )
    )
    return [
        OpenPicking(picking, [move for move in moves if move.picking_id == picking.id], stock)
        for picking in pickings
    ]


async def open_picking(uow: UnitOfWork, company_id: int, picking_id: int) -> OpenPicking:
    return (await open_pickings(uow, company_id, [picking_id]))[0]


def _refuse(picking: Picking, action: str) -> InventoryError:
    return InventoryError(
        InventoryErrorCode.INVALID_TRANSITION,
        f"Picking {picking.name} is {picking.state.value} and cannot be {action}.",
    )


async def confirm_moves(uow: UnitOfWork, opened: OpenPicking) -> None:
    """Draft moves become confirmed and reserve what they can."""
    for move in opened.moves:
        if move.state is MoveState.DRAFT:
            set_state(move, MoveState.CONFIRMED)
    await reserve_moves(uow, opened.stock, opened.moves)


async def confirm_picking(uow: UnitOfWork, company_id: int, picking_id: int) -> Picking:
    """`draft → confirmed`: the moves wait for stock and reserve what is there."""
    opened = await open_picking(uow, company_id, picking_id)
    if opened.picking.state is not PickingState.DRAFT:
        raise _refuse(opened.picking, "confirmed")
    await confirm_moves(uow, opened)
    await refresh_picking_states(uow, [opened.picking.id])
    return opened.picking


async def reserve_picking(uow: UnitOfWork, company_id: int, picking_id: int) -> Picking:
    """Reserve what is missing for the picking's moves, from stock available now."""
    opened = await open_picking(uow, company_id, picking_id)
    if opened.picking.state in (PickingState.DRAFT, PickingState.DONE, PickingState.CANCEL):
        raise _refuse(opened.picking, "reserved")
    await reserve_moves(uow, opened.stock, opened.moves)
    await refresh_picking_states(uow, [opened.picking.id])
    return opened.picking


async def unreserve_picking(uow: UnitOfWork, company_id: int, picking_id: int) -> Picking:
    """Give back the stock the picking's moves reserved; they wait for stock again."""
    opened = await open_picking(uow, company_id, picking_id)
    if opened.picking.state in (PickingState.DRAFT, PickingState.DONE, PickingState.CANCEL):
        raise _refuse(opened.picking, "unreserved")
    await unreserve_moves(uow, opened.stock, opened.moves)
    await refresh_picking_states(uow, [opened.picking.id])
    return opened.picking


async def cancel_picking(uow: UnitOfWork, company_id: int, picking_id: int) -> Picking:
    """Cancel a picking that is not done: reservations go back, moves will not happen."""
    opened = await open_picking(uow, company_id, picking_id)
    if opened.picking.state in (PickingState.DONE, PickingState.CANCEL):
        raise _refuse(opened.picking, "cancelled")
    await _cancel(uow, [opened])
    return opened.picking


async def cancel_pickings_of(uow: UnitOfWork, company_id: int, origin: Origin) -> None:
    """Cancel the open pickings made for `origin` (the document they serve was cancelled)."""
    ids = list(
        await uow.session.scalars(
            select(Picking.id).where(
                Picking.company_id == company_id,
                Picking.origin == origin,
                Picking.state.not_in([PickingState.DONE, PickingState.CANCEL]),
            )
        )
    )
    if ids:
        await _cancel(uow, await open_pickings(uow, company_id, ids))


async def _cancel(uow: UnitOfWork, opened: Sequence[OpenPicking]) -> None:
    """Cancel the open moves of opened pickings (which share one locked stock)."""
    moves = [move for entry in opened for move in entry.moves]
    await unreserve_moves(uow, opened[0].stock, moves, reopen=False)
    cancelled = [move for move in moves if move.state in OPEN]
    lines = await lines_of(uow, cancelled)
    for move in cancelled:
        for line in lines[move.id]:
            await uow.session.delete(line)
        set_state(move, MoveState.CANCEL)
    await uow.session.flush()
    await refresh_picking_states(uow, [entry.picking.id for entry in opened])
    for entry in opened:
        await uow.publish(
            PickingCancelled(
                company_id=entry.picking.company_id,
                picking_id=entry.picking.id,
                pickings=await origin_pickings(uow, entry.picking),
            )
        )


async def origin_pickings(uow: UnitOfWork, picking: Picking) -> OriginPickings | None:
    """Where the pickings made for the picking's origin stand, if it has one."""
    origin = picking.origin
    if origin is None:
        return None
    await uow.session.flush()
    counts = dict(
        (
            await uow.session.execute(
                select(Picking.state, func.count())
                .where(Picking.company_id == picking.company_id, Picking.origin == origin)
                .group_by(Picking.state)
            )
        ).all()
    )
    done = counts.pop(PickingState.DONE, 0)
    counts.pop(PickingState.CANCEL, None)
    return OriginPickings(origin=origin, done=done, open=sum(counts.values()))


# Deliveries for other areas' documents and internal transfers ------------------------


@dataclass(frozen=True)
class DeliveryLine:
    """A line of the document to deliver (or receive), which the move keeps as its origin."""

    origin: Origin
    product_id: int
    quantity: Decimal
    uom_id: int
    name: str
    #: Unit cost of goods coming in (company currency, per product unit), for receipts.
    price_unit: Decimal | None = None


async def create_delivery(
    uow: UnitOfWork,
    company_id: int,
    *,
    origin: Origin,
    origin_name: str,
    partner_id: int,
    scheduled_date: dt.datetime,
    lines: Sequence[DeliveryLine],
) -> Picking | None:
    """The delivery of a document (a confirmed sales order) from the company's first
    warehouse, confirmed and reserved; None when none of its lines is delivered (services
    only)."""
    warehouse = await default_warehouse(uow, company_id)
    return await _create_for_origin(
        uow,
        company_id,
        PickingTypeCode.DELIVERY,
        warehouse.id,
        {"partner_id": partner_id, "scheduled_date": scheduled_date, "origin_name": origin_name},
        origin,
        lines,
    )


async def create_receipt(
    uow: UnitOfWork,
    company_id: int,
    *,
    warehouse_id: int,
    origin: Origin,
    origin_name: str,
    partner_id: int,
    scheduled_date: dt.datetime,
    lines: Sequence[DeliveryLine],
) -> Picking | None:
    """The receipt of a document (a confirmed purchase order) from the vendors' location
    into the warehouse, confirmed; each move comes in at its line's `price_unit`. None when
    none of its lines is received (services only)."""
    return await _create_for_origin(
        uow,
        company_id,
        PickingTypeCode.RECEIPT,
        warehouse_id,
        {"partner_id": partner_id, "scheduled_date": scheduled_date, "origin_name": origin_name},
        origin,
        lines,
    )


async def _create_for_origin(
    uow: UnitOfWork,
    company_id: int,
    code: PickingTypeCode,
    warehouse_id: int,
    values: PickingValues,
    origin: Origin,
    lines: Sequence[DeliveryLine],
) -> Picking | None:
    """A confirmed picking of the operation `code` of a warehouse for the goods among
    `lines`, made for `origin`; None when there are none."""
    goods = list(
        await uow.session.scalars(
            select(Product.id).where(
                Product.id.in_({line.product_id for line in lines}),
                Product.type != ProductType.SERVICE,
            )
        )
    )
    wanted = [line for line in lines if line.product_id in goods]
    if not wanted:
        return None
    kind = await picking_type(uow, company_id, warehouse_id, code)
    # Quants first, then the sequence counter: the lock order every operation keeps.
    stock = await Stock.lock(
        uow,
        company_id,
        {line.product_id for line in wanted},
        [kind.default_location_id, kind.default_location_dest_id],
        {line.uom_id for line in wanted},
    )
    moves: list[MoveValues] = []
    for line in wanted:
        move: MoveValues = {
            "product_id": line.product_id,
            "quantity": line.quantity,
            "uom_id": line.uom_id,
            "name": line.name,
            "origin": line.origin,
        }
        if line.price_unit is not None:
            move["price_unit"] = line.price_unit
        moves.append(move)
    picking = await create_picking(
        uow, company_id, {**values, "operation_type_id": kind.id}, moves, origin=origin
    )
    return await _confirm_created(uow, picking, stock)


async def create_internal_transfer(
    uow: UnitOfWork,
    company_id: int,
    *,
    source_location_id: int,
    destination_location_id: int,
    moves: Sequence[MoveValues],
    scheduled_date: dt.datetime | None = None,
) -> Picking:
    """An internal transfer between two internal locations, confirmed and reserved."""
    source = await get_owned(uow.session, Location, source_location_id, company_id)
    warehouse = await warehouse_of(uow, source) if source is not None else None
    if warehouse is None:
        raise InventoryError(
            InventoryErrorCode.NOT_FOUND,
            "No such location in a warehouse.",
            field=["source_location_id"],
        )
    kind = await picking_type(uow, company_id, warehouse.id, PickingTypeCode.INTERNAL)
    values: PickingValues = {
        "operation_type_id": kind.id,
        "source_location_id": source_location_id,
        "destination_location_id": destination_location_id,
    }
    if scheduled_date is not None:
        values["scheduled_date"] = scheduled_date
    # Lock the quants before the sequence counter that numbers the transfer.
    stock = await Stock.lock(
        uow,
        company_id,
        {move["product_id"] for move in moves if move.get("product_id")},
        [source_location_id, destination_location_id],
    )
    picking = await create_picking(uow, company_id, values, moves)
    return await _confirm_created(uow, picking, stock)


async def _confirm_created(uow: UnitOfWork, picking: Picking, stock: Stock) -> Picking:
    """Confirm and reserve a picking just created, on the stock locked before numbering it."""
    moves = list(
        await uow.session.scalars(
            select(Move).where(Move.picking_id == picking.id).order_by(Move.id)
        )
    )
    await confirm_moves(uow, OpenPicking(picking, moves, stock))
    await refresh_picking_states(uow, [picking.id])
    return picking
