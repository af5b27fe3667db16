"""Stock corrected by hand: scrapping goods and applying inventory counts.

Both write done moves, so quants still change only through done moves: scrap moves goods to
the Scrap location, an inventory adjustment moves the difference between the counted and the
recorded quantity to or from the Inventory adjustment location.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select, tuple_

from domain.accounting.valuation import StockValuationKind
from domain.catalog.models import ProductType, Tracking
from domain.core.db import utcnow
from domain.core.errors import DomainError
from domain.core.records import get_owned
from domain.core.services import check_quantity
from domain.core.uow import UnitOfWork
from domain.inventory.errors import InventoryError, InventoryErrorCode
from domain.inventory.models import LocationUsage, Lot, Move, MoveState, Quant
from domain.inventory.reservation import (
    refresh_picking_states,
    release_excess,
    reserve_waiting_moves,
)
from domain.inventory.stock import Stock
from domain.inventory.validation import DoneLine, apply_done_lines, take_from_stock
from domain.inventory.warehouses import default_warehouse, virtual_location


@dataclass(frozen=True)
class CountedQuantity:
    """A counted quantity of a product (and lot) in the adjusted location, product unit."""

    product_id: int
    quantity: Decimal
    lot_id: int | None = None
    lot_name: str | None = None


async def scrap_product(
    uow: UnitOfWork,
    company_id: int,
    *,
    product_id: int,
    quantity: Decimal,
    location_id: int | None = None,
    lot_id: int | None = None,
    origin_name: str | None = None,
) -> Move:
    """Write off free stock of a product (oldest first) from a location, the company's first
    warehouse's Stock by default. Quantity in the product's unit."""
    if location_id is None:
        location_id = (await default_warehouse(uow, company_id)).stock_location_id
    scrap = await virtual_location(uow, company_id, LocationUsage.SCRAP)
    stock = await Stock.lock(uow, company_id, [product_id], [location_id, scrap.id])
    product = stock.products.get(product_id)
    if product is None:
        raise InventoryError(InventoryErrorCode.NOT_FOUND, "No such product.", field=["product_id"])
    if product.type is not ProductType.STORABLE:
        raise InventoryError(
            InventoryErrorCode.NOT_STORABLE,
            "Only storable products have stock to scrap.",
            field=["product_id"],
        )
    location = stock.locations.get(location_id)
    if location is None or location.usage is not LocationUsage.INTERNAL:
        raise InventoryError(
            InventoryErrorCode.INVALID, "Scrap from an internal location.", field=["location_id"]
        )
    if quantity <= 0:
        raise InventoryError(
            InventoryErrorCode.INVALID, "The quantity must be positive.", field=["quantity"]
        )
    amount = check_quantity(quantity, stock.product_uom(product_id))
    if lot_id is not None and not await get_owned(uow.session, Lot, lot_id, company_id):
        raise InventoryError(InventoryErrorCode.NOT_FOUND, "No such lot.", field=["lot_id"])
    if product.tracking is Tracking.SERIAL and lot_id is not None and amount != 1:
        raise InventoryError(
            InventoryErrorCode.SERIAL_QUANTITY, "A serial number is one unit.", field=["quantity"]
        )
    move = _done_move(stock, product_id, amount, location_id, scrap.id, origin_name or "Scrap")
    uow.session.add(move)
    await uow.session.flush()
    try:
        plan = take_from_stock(
            stock, move, amount, [(lot_id, amount)] if lot_id is not None else []
        )
    except DomainError as error:
        error.field = ["lot_id"] if error.code is InventoryErrorCode.LOT_REQUIRED else ["quantity"]
        raise
    await apply_done_lines(uow, stock, [(move, plan)])
    return move


async def apply_inventory_adjustment(
    uow: UnitOfWork,
    company_id: int,
    location_id: int,
    counts: Sequence[CountedQuantity],
    *,
    reason: str | None = None,
    opening_balance: bool = False,
) -> list[Move]:
    """Set the quants of `location_id` (itself, not its sub-locations) to the counted
    quantities, all in this one transaction.

    Each difference becomes a done move from or to the Inventory adjustment location. Where a
    count leaves less than is reserved, the newest reservations are cut to fit. Differences
    are valued against Expenses, or, for the stock the books open with (`opening_balance`),
    against the Opening Balance equity account, so counting it earns no profit.
    """
    if not counts:
        raise InventoryError(InventoryErrorCode.REQUIRED, "Give the counts.", field=["counts"])
    counterpart = await virtual_location(uow, company_id, LocationUsage.INVENTORY)
    stock = await Stock.lock(
        uow, company_id, {count.product_id for count in counts}, [location_id, counterpart.id]
    )
    location = stock.locations.get(location_id)
    if location is None or location.usage is not LocationUsage.INTERNAL:
        raise InventoryError(
            InventoryErrorCode.INVALID,
            "Count the stock of an internal location.",
            field=["location_id"],
        )
    lots = await _count_lots(uow, stock, counts)
    seen: set[tuple[int, int | None]] = set()
    wanted: list[tuple[int, int | None, Decimal]] = []
    for index, count in enumerate(counts):
        try:
            wanted.append(_checked_count(stock, count, lots[index], seen))
        except DomainError as error:
            raise error.at("counts", str(index)) from None
    await _check_counted_serials(uow, stock, location_id, wanted)
    await stock.ensure({(product, location_id, lot) for product, lot, _ in wanted})
    quants = [stock.quant(product, location_id, lot) for product, lot, _ in wanted]
    pickings = await release_excess(
        uow, [(quant, counted) for quant, (_, _, counted) in zip(quants, wanted, strict=True)]
    )
    origin_name = (reason or "").strip() or "Inventory adjustment"
    moves: list[tuple[Move, list[DoneLine]]] = []
    now = utcnow()
    for quant, (product_id, lot_id, counted) in zip(quants, wanted, strict=True):
        difference = counted - quant.quantity
        if difference > 0:
            move = _done_move(
                stock, product_id, difference, counterpart.id, location_id, origin_name
            )
            moves.append((move, [DoneLine(counterpart.id, lot_id, difference, now)]))
        elif difference < 0:
            move = _done_move(
                stock, product_id, -difference, location_id, counterpart.id, origin_name
            )
            stock.take(quant, -difference)
            moves.append((move, [DoneLine(location_id, lot_id, -difference, quant.in_date)]))
    uow.session.add_all([move for move, _ in moves])
    await uow.session.flush()
    await apply_done_lines(
        uow, stock, moves, StockValuationKind.OPENING if opening_balance else None
    )
    await refresh_picking_states(uow, pickings)
    await reserve_waiting_moves(
        uow,
        company_id,
        {
            (move.product_id, location_id)
            for move, _ in moves
            if move.location_dest_id == location_id
        },
    )
    return [move for move, _ in moves]


async def _count_lots(
    uow: UnitOfWork, stock: Stock, counts: Sequence[CountedQuantity]
) -> list[int | None]:
    """Each count's lot ID; a lot counted by a new name is created."""
    names = {
        (count.product_id, (count.lot_name or "").strip())
        for count in counts
        if count.lot_id is None and (count.lot_name or "").strip()
    }
    ids = {count.lot_id for count in counts if count.lot_id is not None}
    known: dict[tuple[int, str], Lot] = {}
    by_id: dict[int, Lot] = {}
    if names:
        for lot in await uow.session.scalars(
            select(Lot).where(
                Lot.company_id == stock.company_id,
                tuple_(Lot.product_id, Lot.name).in_(sorted(names)),
            )
        ):
            known[(lot.product_id, lot.name)] = lot
    if ids:
        for lot in await uow.session.scalars(
            select(Lot).where(Lot.company_id == stock.company_id, Lot.id.in_(ids))
        ):
            by_id[lot.id] = lot
    chosen: list[Lot | None] = []
    for index, count in enumerate(counts):
        if count.lot_id is not None:
            counted = by_id.get(count.lot_id)
            if counted is None or counted.product_id != count.product_id:
                raise InventoryError(
                    InventoryErrorCode.NOT_FOUND,
                    "No such lot of this product.",
                    field=["counts", str(index), "lot_id"],
                )
            chosen.append(counted)
            continue
        name = (count.lot_name or "").strip()
        if not name or count.product_id not in stock.products:
            chosen.append(None)
            continue
        if (count.product_id, name) not in known:
            lot = Lot(company_id=stock.company_id, product_id=count.product_id, name=name)
            uow.session.add(lot)
            known[(count.product_id, name)] = lot
        chosen.append(known[(count.product_id, name)])
    await uow.session.flush()  # numbers the new lots, all in one go
    return [lot.id if lot is not None else None for lot in chosen]


def _checked_count(
    stock: Stock, count: CountedQuantity, lot_id: int | None, seen: set[tuple[int, int | None]]
) -> tuple[int, int | None, Decimal]:
    product = stock.products.get(count.product_id)
    if product is None:
        raise InventoryError(InventoryErrorCode.NOT_FOUND, "No such product.", field=["product_id"])
    if product.type is not ProductType.STORABLE:
        raise InventoryError(
            InventoryErrorCode.NOT_STORABLE,
            f"{product.name} is not storable: its stock is not counted.",
            field=["product_id"],
        )
    if count.quantity < 0:
        raise InventoryError(
            InventoryErrorCode.INVALID, "A count cannot be negative.", field=["quantity"]
        )
    if product.tracking is Tracking.NONE and lot_id is not None:
        raise InventoryError(
            InventoryErrorCode.INVALID, f"{product.name} is not tracked by lots.", field=["lot_id"]
        )
    if product.tracking is Tracking.SERIAL and count.quantity > 1:
        raise InventoryError(
            InventoryErrorCode.SERIAL_QUANTITY,
            "A serial number is counted 0 or 1.",
            field=["quantity"],
        )
    if (product.id, lot_id) in seen:
        raise InventoryError(
            InventoryErrorCode.INVALID, "This product and lot are counted twice.", field=["lot_id"]
        )
    seen.add((product.id, lot_id))
    return product.id, lot_id, check_quantity(count.quantity, stock.product_uom(product.id))


async def _check_counted_serials(
    uow: UnitOfWork,
    stock: Stock,
    location_id: int,
    wanted: Sequence[tuple[int, int | None, Decimal]],
) -> None:
    """A serial number counted here must not be in stock elsewhere."""
    serials = [
        lot_id
        for product_id, lot_id, counted in wanted
        if lot_id is not None and counted > 0 and stock.tracking(product_id) is Tracking.SERIAL
    ]
    if not serials:
        return
    elsewhere = list(
        await uow.session.scalars(
            select(Lot.name)
            .join(Quant, Quant.lot_id == Lot.id)
            .where(Quant.lot_id.in_(serials), Quant.quantity > 0, Quant.location_id != location_id)
            .order_by(Lot.name)
        )
    )
    if elsewhere:
        raise InventoryError(
            InventoryErrorCode.SERIAL_IN_STOCK,
            f"Serial numbers in stock in another location: {', '.join(elsewhere)}.",
            field=["counts"],
        )


def _done_move(
    stock: Stock,
    product_id: int,
    quantity: Decimal,
    source: int,
    destination: int,
    origin_name: str,
) -> Move:
    product = stock.products[product_id]
    return Move(
        company_id=stock.company_id,
        picking_id=None,
        product_id=product_id,
        name=f"{origin_name}: {product.name}",
        state=MoveState.DONE,
        quantity=quantity,
        uom_id=product.uom_id,
        product_qty=quantity,
        location_id=source,
        location_dest_id=destination,
        date=utcnow(),
        origin_name=origin_name,
    )
