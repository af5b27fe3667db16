"""Inventory use cases: warehouses and locations, and pickings from creation to cancellation.

Validating pickings lives in `validation`, scrap and inventory adjustments in `adjustments`,
reservation in `reservation`, and the locked quants every operation works on in `stock`.

Lock order, everywhere: quants (`Stock.lock`), then pickings, then sequence counters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from sqlalchemy import func, select

from domain.catalog.models import Product, ProductType
from domain.core.db import utcnow
from domain.core.errors import DomainError
from domain.core.models import Uom
from domain.core.records import get_owned
from domain.core.services import convert_quantity, next_sequence_number
from domain.core.uow import UnitOfWork
from domain.inventory.errors import InventoryError, InventoryErrorCode
from domain.inventory.events import OrderPickings, PickingCancelled
from domain.inventory.models import (
    Location,
    LocationUsage,
    Move,
    MoveLine,
    MoveState,
    Picking,
    PickingState,
    PickingType,
    PickingTypeCode,
    Warehouse,
)
from domain.inventory.reservation import (
    OPEN,
    lines_of,
    refresh_picking_states,
    reserve_moves,
    set_state,
    unreserve_moves,
)
from domain.inventory.stock import ZERO, Stock
from domain.partners.models import Partner

#: The company's virtual locations: (parent view, name, usage).
VIRTUAL_LOCATIONS = (
    ("Partners", "Customers", LocationUsage.CUSTOMER),
    ("Partners", "Vendors", LocationUsage.VENDOR),
    ("Virtual Locations", "Production", LocationUsage.PRODUCTION),
    ("Virtual Locations", "Inventory adjustment", LocationUsage.INVENTORY),
    ("Virtual Locations", "Scrap", LocationUsage.SCRAP),
)
#: Operation types of every warehouse: code, name, sequence infix.
OPERATION_TYPES = (
    (PickingTypeCode.RECEIPT, "Receipts", "IN"),
    (PickingTypeCode.DELIVERY, "Delivery Orders", "OUT"),
    (PickingTypeCode.INTERNAL, "Internal Transfers", "INT"),
)


class MoveValues(TypedDict, total=False):
    """A move as the caller gives it; the unit defaults to the product's."""

    product_id: int
    quantity: Decimal
    uom_id: int
    name: str
    sale_line_id: int


class PickingValues(TypedDict, total=False):
    """Header of a picking; locations default to the operation type's."""

    picking_type_id: int
    partner_id: int | None
    scheduled_date: dt.datetime
    origin: str | None
    location_id: int
    location_dest_id: int


@dataclass(frozen=True)
class ReturnQuantity:
    """How much of one done move to send back, in the product's unit."""

    move_id: int
    quantity: Decimal


# Warehouses and locations ---------------------------------------------------------------


async def create_warehouse(uow: UnitOfWork, company_id: int, *, name: str, code: str) -> Warehouse:
    """A warehouse with its view and Stock locations and its three operation types."""
    name, code = name.strip(), code.strip().upper()
    if not name:
        raise InventoryError(
            InventoryErrorCode.REQUIRED, "A warehouse needs a name.", field=["name"]
        )
    if not code or len(code) > 8 or "/" in code:
        raise InventoryError(
            InventoryErrorCode.INVALID,
            "A warehouse code has 1 to 8 characters and no slash.",
            field=["code"],
        )
    for field, value in (("code", code), ("name", name)):
        if await uow.session.scalar(
            select(Warehouse.id).where(
                Warehouse.company_id == company_id, getattr(Warehouse, field) == value
            )
        ):
            raise InventoryError(
                InventoryErrorCode.UNIQUE,
                f"A warehouse with {field} {value!r} exists.",
                field=[field],
            )
    virtual = await _ensure_virtual_locations(uow, company_id)
    view = await _add_location(uow, company_id, code, None, LocationUsage.VIEW)
    stock = await _add_location(uow, company_id, "Stock", view, LocationUsage.INTERNAL)
    warehouse = Warehouse(
        company_id=company_id,
        name=name,
        code=code,
        view_location_id=view.id,
        stock_location_id=stock.id,
    )
    uow.session.add(warehouse)
    await uow.session.flush()
    ends = {
        PickingTypeCode.RECEIPT: (virtual[LocationUsage.VENDOR].id, stock.id),
        PickingTypeCode.DELIVERY: (stock.id, virtual[LocationUsage.CUSTOMER].id),
        PickingTypeCode.INTERNAL: (stock.id, stock.id),
    }
    for type_code, type_name, infix in OPERATION_TYPES:
        source, destination = ends[type_code]
        uow.session.add(
            PickingType(
                company_id=company_id,
                warehouse_id=warehouse.id,
                code=type_code,
                name=type_name,
                sequence_prefix=f"{code}/{infix}/",
                default_location_id=source,
                default_location_dest_id=destination,
            )
        )
    await uow.session.flush()
    return warehouse


async def create_location(
    uow: UnitOfWork, company_id: int, *, name: str, parent_id: int
) -> Location:
    """A sub-location (a shelf, a bin) of an internal location or a warehouse's view."""
    name = name.strip()
    if not name or "/" in name:
        raise InventoryError(
            InventoryErrorCode.REQUIRED, "A location needs a name without slash.", field=["name"]
        )
    parent = await get_owned(uow.session, Location, parent_id, company_id)
    if parent is None:
        raise InventoryError(InventoryErrorCode.NOT_FOUND, "No such location.", field=["parent_id"])
    if parent.usage not in (LocationUsage.INTERNAL, LocationUsage.VIEW):
        raise InventoryError(
            InventoryErrorCode.INVALID,
            "Stock locations go under internal or view locations.",
            field=["parent_id"],
        )
    if await uow.session.scalar(
        select(Location.id).where(
            Location.company_id == company_id, Location.full_name == f"{parent.full_name}/{name}"
        )
    ):
        raise InventoryError(
            InventoryErrorCode.UNIQUE, f"{parent.full_name} has a {name!r} already.", field=["name"]
        )
    return await _add_location(uow, company_id, name, parent, LocationUsage.INTERNAL)


async def _add_location(
    uow: UnitOfWork, company_id: int, name: str, parent: Location | None, usage: LocationUsage
) -> Location:
    location = Location(
        company_id=company_id,
        name=name,
        full_name=f"{parent.full_name}/{name}" if parent else name,
        parent_id=parent.id if parent else None,
        usage=usage,
    )
    uow.session.add(location)
    await uow.session.flush()
    location.parent_path = f"{parent.parent_path if parent else ''}{location.id}/"
    await uow.session.flush()
    return location


async def _ensure_virtual_locations(
    uow: UnitOfWork, company_id: int
) -> dict[LocationUsage, Location]:
    """The company's customer, vendor, production, inventory and scrap locations."""
    found = {
        location.usage: location
        for location in await uow.session.scalars(
            select(Location)
            .where(
                Location.company_id == company_id,
                Location.usage.in_([usage for _, _, usage in VIRTUAL_LOCATIONS]),
            )
            .order_by(Location.id.desc())
        )
    }
    views: dict[str, Location] = {}
    for view_name, name, usage in VIRTUAL_LOCATIONS:
        if usage in found:
            continue
        if view_name not in views:
            views[view_name] = await uow.session.scalar(
                select(Location).where(
                    Location.company_id == company_id, Location.full_name == view_name
                )
            ) or await _add_location(uow, company_id, view_name, None, LocationUsage.VIEW)
        found[usage] = await _add_location(uow, company_id, name, views[view_name], usage)
    return found


async def virtual_location(uow: UnitOfWork, company_id: int, usage: LocationUsage) -> Location:
    return (await _ensure_virtual_locations(uow, company_id))[usage]


async def default_warehouse(uow: UnitOfWork, company_id: int) -> Warehouse:
    """The company's first warehouse."""
    warehouse = await uow.session.scalar(
        select(Warehouse).where(Warehouse.company_id == company_id).order_by(Warehouse.id).limit(1)
    )
    if warehouse is None:
        raise InventoryError(InventoryErrorCode.NOT_FOUND, "The company has no warehouse.")
    return warehouse


async def warehouse_of(uow: UnitOfWork, location: Location) -> Warehouse | None:
    """The warehouse whose tree holds `location`: the one whose view is its root."""
    root_id = int(location.parent_path.split("/", 1)[0])
    return await uow.session.scalar(
        select(Warehouse).where(
            Warehouse.company_id == location.company_id, Warehouse.view_location_id == root_id
        )
    )


async def picking_type(
    uow: UnitOfWork, company_id: int, warehouse_id: int, code: PickingTypeCode
) -> PickingType:
    found = await uow.session.scalar(
        select(PickingType).where(
            PickingType.company_id == company_id,
            PickingType.warehouse_id == warehouse_id,
            PickingType.code == code,
        )
    )
    if found is None:
        raise InventoryError(InventoryErrorCode.NOT_FOUND, f"The warehouse has no {code.value}.")
    return found


# Creating pickings ----------------------------------------------------------------------


async def create_picking(
    uow: UnitOfWork,
    company_id: int,
    values: PickingValues,
    moves: Sequence[MoveValues],
    *,
    sale_order_id: int | None = None,
    backorder_id: int | None = None,
    return_id: int | None = None,
) -> Picking:
    """A draft picking with its moves, numbered from its operation type's sequence."""
    type_id = values.get("picking_type_id")
    kind = await get_owned(uow.session, PickingType, type_id, company_id) if type_id else None
    if kind is None:
        raise InventoryError(
            InventoryErrorCode.NOT_FOUND, "No such operation type.", field=["picking_type_id"]
        )
    partner_id = values.get("partner_id")
    if partner_id is not None and not await get_owned(uow.session, Partner, partner_id, company_id):
        raise InventoryError(InventoryErrorCode.NOT_FOUND, "No such partner.", field=["partner_id"])
    source_id = values.get("location_id") or kind.default_location_id
    destination_id = values.get("location_dest_id") or kind.default_location_dest_id
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
        origin=(values.get("origin") or "").strip() or None,
        sale_order_id=sale_order_id,
        backorder_id=backorder_id,
        return_id=return_id,
    )
    uow.session.add(picking)
    await uow.session.flush()
    await add_moves(uow, picking, moves)
    return picking


def _check_ends(stock: Stock, code: PickingTypeCode, source_id: int, destination_id: int) -> None:
    for field, location_id in (("location_id", source_id), ("location_dest_id", destination_id)):
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
            field=["location_dest_id"],
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
    uom = uoms.get(value.get("uom_id") or product.uom_id)
    if uom is None:
        raise InventoryError(InventoryErrorCode.NOT_FOUND, "No such unit.", field=["uom_id"])
    if uom.category_id != product_uom.category_id:
        raise InventoryError(
            InventoryErrorCode.INCOMPATIBLE_UNITS,
            f"{product.name} is stocked in {product_uom.name}; {uom.name} does not convert.",
            field=["uom_id"],
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
        quantity=convert_quantity(quantity, uom, uom),
        uom_id=uom.id,
        product_qty=product_qty,
        location_id=picking.location_id,
        location_dest_id=picking.location_dest_id,
        date=picking.scheduled_date,
        origin=picking.origin,
        sale_line_id=value.get("sale_line_id"),
    )


# Working on existing pickings -----------------------------------------------------------


@dataclass
class OpenPicking:
    """A picking locked with its moves, and the locked stock those moves work on."""

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


async def cancel_order_pickings(uow: UnitOfWork, company_id: int, sale_order_id: int) -> None:
    """Cancel the open pickings of a sales order (the order was cancelled)."""
    ids = list(
        await uow.session.scalars(
            select(Picking.id).where(
                Picking.company_id == company_id,
                Picking.sale_order_id == sale_order_id,
                Picking.state.not_in([PickingState.DONE, PickingState.CANCEL]),
            )
        )
    )
    if ids:
        await _cancel(uow, await open_pickings(uow, company_id, ids))


async def _cancel(uow: UnitOfWork, opened: Sequence[OpenPicking]) -> None:
    for entry in opened:
        await unreserve_moves(uow, entry.stock, entry.moves, reopen=False)
        lines = await lines_of(uow, [move for move in entry.moves if move.state in OPEN])
        for move in entry.moves:
            if move.state in OPEN:
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
                order=await order_pickings(uow, entry.picking),
            )
        )


async def order_pickings(uow: UnitOfWork, picking: Picking) -> OrderPickings | None:
    """Where the pickings of the picking's sales order stand, if it has one."""
    if picking.sale_order_id is None:
        return None
    await uow.session.flush()
    counts = dict(
        (
            await uow.session.execute(
                select(Picking.state, func.count())
                .where(
                    Picking.company_id == picking.company_id,
                    Picking.sale_order_id == picking.sale_order_id,
                )
                .group_by(Picking.state)
            )
        ).all()
    )
    done = counts.pop(PickingState.DONE, 0)
    counts.pop(PickingState.CANCEL, None)
    return OrderPickings(sale_order_id=picking.sale_order_id, done=done, open=sum(counts.values()))


# Deliveries of sales orders, internal transfers and returns -----------------------------


@dataclass(frozen=True)
class DeliveryLine:
    """A sales order line to deliver."""

    sale_line_id: int
    product_id: int
    quantity: Decimal
    uom_id: int
    name: str


async def create_delivery(
    uow: UnitOfWork,
    company_id: int,
    *,
    sale_order_id: int,
    origin: str,
    partner_id: int,
    scheduled_date: dt.datetime,
    lines: Sequence[DeliveryLine],
) -> Picking | None:
    """The delivery of a confirmed sales order from the company's first warehouse, confirmed
    and reserved; None when nothing on the order is delivered (services only)."""
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
    warehouse = await default_warehouse(uow, company_id)
    kind = await picking_type(uow, company_id, warehouse.id, PickingTypeCode.DELIVERY)
    # Quants first, then the sequence counter: the lock order every operation keeps.
    stock = await Stock.lock(
        uow,
        company_id,
        {line.product_id for line in wanted},
        [kind.default_location_id, kind.default_location_dest_id],
        {line.uom_id for line in wanted},
    )
    picking = await create_picking(
        uow,
        company_id,
        {
            "picking_type_id": kind.id,
            "partner_id": partner_id,
            "scheduled_date": scheduled_date,
            "origin": origin,
        },
        [
            {
                "product_id": line.product_id,
                "quantity": line.quantity,
                "uom_id": line.uom_id,
                "name": line.name,
                "sale_line_id": line.sale_line_id,
            }
            for line in wanted
        ],
        sale_order_id=sale_order_id,
    )
    moves = list(await uow.session.scalars(select(Move).where(Move.picking_id == picking.id)))
    await confirm_moves(uow, OpenPicking(picking, moves, stock))
    await refresh_picking_states(uow, [picking.id])
    return picking


async def create_internal_transfer(
    uow: UnitOfWork,
    company_id: int,
    *,
    location_id: int,
    location_dest_id: int,
    moves: Sequence[MoveValues],
    scheduled_date: dt.datetime | None = None,
) -> Picking:
    """An internal transfer between two internal locations, confirmed and reserved."""
    source = await get_owned(uow.session, Location, location_id, company_id)
    if source is None:
        raise InventoryError(
            InventoryErrorCode.NOT_FOUND, "No such location.", field=["location_id"]
        )
    warehouse = await warehouse_of(uow, source)
    if warehouse is None:
        raise InventoryError(
            InventoryErrorCode.INVALID, "The source is not in a warehouse.", field=["location_id"]
        )
    kind = await picking_type(uow, company_id, warehouse.id, PickingTypeCode.INTERNAL)
    values: PickingValues = {
        "picking_type_id": kind.id,
        "location_id": location_id,
        "location_dest_id": location_dest_id,
    }
    if scheduled_date is not None:
        values["scheduled_date"] = scheduled_date
    # Lock the quants before the sequence counter that numbers the transfer.
    await Stock.lock(
        uow,
        company_id,
        {move["product_id"] for move in moves if move.get("product_id")},
        [location_id, location_dest_id],
    )
    picking = await create_picking(uow, company_id, values, moves)
    return await confirm_picking(uow, company_id, picking.id)


async def return_picking(
    uow: UnitOfWork,
    company_id: int,
    picking_id: int,
    quantities: Sequence[ReturnQuantity] | None = None,
) -> Picking:
    """A picking sending back goods of a done one, linked to it, confirmed and reserved.

    Without `quantities`, everything done and not yet returned goes back. Returns of a
    delivery come in as a receipt; returns of a receipt go out as a delivery.
    """
    original = await get_owned(uow.session, Picking, picking_id, company_id)
    if original is None:
        raise InventoryError(InventoryErrorCode.NOT_FOUND, "No such picking.", field=["id"])
    if original.state is not PickingState.DONE:
        raise InventoryError(
            InventoryErrorCode.INVALID_TRANSITION, "Only a done picking can be returned."
        )
    moves = list(
        await uow.session.scalars(
            select(Move)
            .where(Move.picking_id == original.id, Move.state == MoveState.DONE)
            .order_by(Move.id)
        )
    )
    returnable = await _returnable(uow, moves)
    plan = _return_plan(moves, returnable, quantities)
    original_kind = await uow.session.get(PickingType, original.picking_type_id)
    assert original_kind is not None
    kind = await picking_type(
        uow,
        company_id,
        original_kind.warehouse_id,
        {
            PickingTypeCode.DELIVERY: PickingTypeCode.RECEIPT,
            PickingTypeCode.RECEIPT: PickingTypeCode.DELIVERY,
            PickingTypeCode.INTERNAL: PickingTypeCode.INTERNAL,
        }[original_kind.code],
    )
    by_id = {move.id: move for move in moves}
    stock = await Stock.lock(
        uow,
        company_id,
        {by_id[move_id].product_id for move_id in plan},
        [original.location_id, original.location_dest_id],
        {by_id[move_id].uom_id for move_id in plan},
    )
    picking = Picking(
        company_id=company_id,
        name=await next_sequence_number(
            uow, company_id, f"stock.picking.{kind.id}", prefix=kind.sequence_prefix
        ),
        picking_type_id=kind.id,
        state=PickingState.DRAFT,
        partner_id=original.partner_id,
        location_id=original.location_dest_id,
        location_dest_id=original.location_id,
        scheduled_date=utcnow(),
        origin=f"Return of {original.name}",
        return_id=original.id,
        sale_order_id=original.sale_order_id,
    )
    uow.session.add(picking)
    await uow.session.flush()
    returns = []
    for move_id, quantity in plan.items():
        move = by_id[move_id]
        product_uom = stock.product_uom(move.product_id)
        returns.append(
            Move(
                company_id=company_id,
                picking_id=picking.id,
                product_id=move.product_id,
                name=move.name,
                state=MoveState.CONFIRMED,
                quantity=convert_quantity(quantity, product_uom, stock.uoms[move.uom_id]),
                uom_id=move.uom_id,
                product_qty=quantity,
                location_id=move.location_dest_id,
                location_dest_id=move.location_id,
                date=picking.scheduled_date,
                origin=picking.origin,
                sale_line_id=move.sale_line_id,
                origin_return_move_id=move.id,
            )
        )
    uow.session.add_all(returns)
    await uow.session.flush()
    await _expect_returned_lots(uow, stock, returns)
    await reserve_moves(uow, stock, returns)
    await refresh_picking_states(uow, [picking.id])
    return picking


async def _returnable(uow: UnitOfWork, moves: Sequence[Move]) -> dict[int, Decimal]:
    """Per done move: what was done less what open or done returns already send back."""
    ids = [move.id for move in moves]
    done = dict(
        (
            await uow.session.execute(
                select(MoveLine.move_id, func.sum(MoveLine.quantity_done))
                .where(MoveLine.move_id.in_(ids))
                .group_by(MoveLine.move_id)
            )
        ).all()
    )
    returned = dict(
        (
            await uow.session.execute(
                select(Move.origin_return_move_id, func.sum(Move.product_qty))
                .where(Move.origin_return_move_id.in_(ids), Move.state != MoveState.CANCEL)
                .group_by(Move.origin_return_move_id)
            )
        ).all()
    )
    return {
        move_id: Decimal(done.get(move_id) or 0) - Decimal(returned.get(move_id) or 0)
        for move_id in ids
    }


def _return_plan(
    moves: Sequence[Move],
    returnable: dict[int, Decimal],
    quantities: Sequence[ReturnQuantity] | None,
) -> dict[int, Decimal]:
    if quantities is None:
        plan = {move.id: returnable[move.id] for move in moves if returnable[move.id] > 0}
    else:
        plan = {}
        for index, entry in enumerate(quantities):
            if entry.move_id not in returnable:
                raise InventoryError(
                    InventoryErrorCode.NOT_FOUND,
                    "That move is not a done move of this picking.",
                    field=["moves", str(index), "move_id"],
                )
            if entry.move_id in plan or entry.quantity <= 0:
                raise InventoryError(
                    InventoryErrorCode.INVALID,
                    "Give each move once, with a positive quantity.",
                    field=["moves", str(index), "quantity"],
                )
            if entry.quantity > returnable[entry.move_id]:
                raise InventoryError(
                    InventoryErrorCode.RETURN_EXCEEDS_DONE,
                    f"At most {returnable[entry.move_id].normalize()} can still be returned.",
                    field=["moves", str(index), "quantity"],
                )
            plan[entry.move_id] = entry.quantity
    if not plan:
        raise InventoryError(InventoryErrorCode.INVALID, "Nothing is left to return.")
    return plan


async def _expect_returned_lots(uow: UnitOfWork, stock: Stock, returns: Iterable[Move]) -> None:
    """Goods coming back from outside our stock are expected in the lots that left."""
    incoming = [
        move
        for move in returns
        if not stock.is_internal(move.location_id) and move.origin_return_move_id is not None
    ]
    if not incoming:
        return
    sent = await uow.session.scalars(
        select(MoveLine)
        .where(
            MoveLine.move_id.in_([move.origin_return_move_id for move in incoming]),
            MoveLine.lot_id.is_not(None),
        )
        .order_by(MoveLine.id)
    )
    lots: dict[int, list[MoveLine]] = {}
    for line in sent:
        lots.setdefault(line.move_id, []).append(line)
    for move in incoming:
        left = move.product_qty
        for line in lots.get(move.origin_return_move_id or 0, []):
            if left <= 0:
                break
            take = min(left, line.quantity_done)
            uow.session.add(
                MoveLine(
                    company_id=move.company_id,
                    move_id=move.id,
                    product_id=move.product_id,
                    lot_id=line.lot_id,
                    location_id=move.location_id,
                    location_dest_id=move.location_dest_id,
                    reserved_quantity=take,
                    quantity_done=ZERO,
                )
            )
            left -= take
        if left > 0 and move.origin_return_move_id in lots:
            uow.session.add(
                MoveLine(
                    company_id=move.company_id,
                    move_id=move.id,
                    product_id=move.product_id,
                    lot_id=None,
                    location_id=move.location_id,
                    location_dest_id=move.location_dest_id,
                    reserved_quantity=left,
                    quantity_done=ZERO,
                )
            )
    await uow.session.flush()
