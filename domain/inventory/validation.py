"""Validating a picking: the goods move, quants change, and the rest goes to a backorder or
is cancelled.

Done quantities are in the product's unit. A move the caller does not mention is done for
what it has reserved. Goods leaving our stock come from the quants the move had reserved
first, then from other free stock, oldest first; goods of a tracked product need a lot (or a
serial number, one unit each) on every done line.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select, tuple_

from domain.accounting.valuation import StockValuationKind
from domain.catalog.models import Tracking
from domain.core.db import utcnow
from domain.core.errors import DomainError
from domain.core.services import check_quantity, convert_quantity, next_sequence_number
from domain.core.uow import UnitOfWork
from domain.inventory.errors import InventoryError, InventoryErrorCode
from domain.inventory.events import MovedQuantity, PickingDone
from domain.inventory.models import (
    Lot,
    Move,
    MoveLine,
    MoveState,
    Picking,
    PickingState,
    PickingType,
    Quant,
)
from domain.inventory.reservation import (
    OPEN,
    lines_of,
    refresh_picking_states,
    reserve_moves,
    reserve_waiting_moves,
    reserved,
    set_state,
)
from domain.inventory.services import confirm_moves, open_picking, origin_pickings
from domain.inventory.stock import ZERO, QuantKey, Stock
from domain.inventory.valuation import value_done_moves


class BackorderPolicy(enum.Enum):
    """What happens to the part of a picking not done: a new picking, or nothing."""

    CREATE = "create"
    NO_BACKORDER = "no_backorder"


@dataclass(frozen=True)
class LotQuantity:
    """A quantity of one lot or serial number, named by ID or by name."""

    quantity: Decimal
    lot_id: int | None = None
    lot_name: str | None = None


@dataclass(frozen=True)
class MoveDone:
    """What was done of one move; the quantity defaults to the sum of `lots`."""

    move_id: int
    quantity: Decimal | None = None
    lots: Sequence[LotQuantity] = ()


@dataclass
class DoneLine:
    """Part of a done move: from where, which lot, how much, and how old that stock is."""

    location_id: int
    lot_id: int | None
    quantity: Decimal
    in_date: Any


@dataclass
class _Request:
    """A move's done quantity as asked, with where the ask sits in the input."""

    quantity: Decimal
    index: int | None = None
    lots: list[tuple[int, Decimal]] = field(default_factory=list)

    def at(self, *path: str) -> list[str] | None:
        return ["moves", str(self.index), *path] if self.index is not None else None


async def validate_picking(
    uow: UnitOfWork,
    company_id: int,
    picking_id: int,
    *,
    moves: Sequence[MoveDone] = (),
    backorder: BackorderPolicy | None = None,
    allow_over_delivery: bool = False,
) -> Picking:
    """Do the picking's moves; a draft picking is confirmed and reserved first.

    When less than the demand is done, `backorder` must say whether the rest goes to a new
    picking (linked by `backorder_id`) or is cancelled. Doing more than the demand needs
    `allow_over_delivery`.
    """
    opened = await open_picking(uow, company_id, picking_id)
    picking, stock = opened.picking, opened.stock
    if picking.state in (PickingState.DONE, PickingState.CANCEL):
        raise InventoryError(
            InventoryErrorCode.INVALID_TRANSITION,
            f"Picking {picking.name} is {picking.state.value} and cannot be validated.",
        )
    if picking.state is PickingState.DRAFT:
        await confirm_moves(uow, opened)
    active = [move for move in opened.moves if move.state in OPEN]
    lines = await lines_of(uow, active)
    requests = await _requests(uow, stock, active, lines, moves, allow_over_delivery)
    if not any(request.quantity > 0 for request in requests.values()):
        raise InventoryError(
            InventoryErrorCode.NOTHING_TO_VALIDATE,
            "Nothing is reserved or given as done; give the done quantities.",
        )
    short = [move for move in active if requests[move.id].quantity < move.product_qty]
    if short and backorder is None:
        raise InventoryError(
            InventoryErrorCode.BACKORDER_CHOICE_REQUIRED,
            "Less than the demand is done: choose to create a backorder or not.",
            field=["backorder"],
        )
    plans = await _plan(uow, stock, active, lines, requests)
    await apply_done_lines(uow, stock, [(move, plans[move.id]) for move in active])
    now = utcnow()
    later = None
    if short and backorder is BackorderPolicy.CREATE:
        later = await _new_backorder(uow, picking)
    rest = _split(stock, active, requests, later, picking)
    uow.session.add_all(rest)
    for move in active:
        if requests[move.id].quantity > 0:
            set_state(move, MoveState.DONE)
            move.date = now
    picking.date_done = now
    await uow.session.flush()
    if later is not None:
        moved = [move for move in [*active, *rest] if move.picking_id == later.id]
        await reserve_moves(uow, stock, moved)
    await reserve_waiting_moves(
        uow,
        company_id,
        {
            (move.product_id, move.location_dest_id)
            for move in active
            if requests[move.id].quantity > 0
            and stock.counts(move.product_id, move.location_dest_id)
        },
    )
    await refresh_picking_states(uow, [picking.id] + ([later.id] if later else []))
    await uow.publish(
        PickingDone(
            company_id=company_id,
            picking_id=picking.id,
            moves=_moved_quantities(stock, active, requests),
            pickings=await origin_pickings(uow, picking),
        )
    )
    return picking


async def _requests(
    uow: UnitOfWork,
    stock: Stock,
    active: Sequence[Move],
    lines: dict[int, list[MoveLine]],
    given: Sequence[MoveDone],
    allow_over_delivery: bool,
) -> dict[int, _Request]:
    """Each open move's done quantity (product unit), from the input or its reservation."""
    by_id = {move.id: move for move in active}
    requests: dict[int, _Request] = {}
    for index, entry in enumerate(given):
        move = by_id.get(entry.move_id)
        if move is None:
            raise InventoryError(
                InventoryErrorCode.NOT_FOUND,
                "That move is not an open move of this picking.",
                field=["moves", str(index), "move_id"],
            )
        if move.id in requests:
            raise InventoryError(
                InventoryErrorCode.INVALID, "Give each move once.", field=["moves", str(index)]
            )
        request = _Request(quantity=ZERO, index=index)
        uom = stock.product_uom(move.product_id)
        lot_total = sum((lot.quantity for lot in entry.lots), ZERO)
        quantity = entry.quantity if entry.quantity is not None else lot_total
        if quantity < 0 or any(lot.quantity <= 0 for lot in entry.lots):
            raise InventoryError(
                InventoryErrorCode.INVALID,
                "Done quantities cannot be negative, nor lot quantities zero.",
                field=request.at("quantity"),
            )
        try:
            request.quantity = check_quantity(quantity, uom)
        except DomainError as error:
            raise error.at("moves", str(index)) from None
        for position, lot in enumerate(entry.lots):
            try:
                check_quantity(lot.quantity, uom)
            except DomainError as error:
                raise error.at("moves", str(index), "lots", str(position)) from None
        if entry.lots and lot_total != request.quantity:
            raise InventoryError(
                InventoryErrorCode.INVALID,
                f"The lots add up to {lot_total.normalize()}, not {request.quantity.normalize()}.",
                field=request.at("lots"),
            )
        if request.quantity > move.product_qty and not allow_over_delivery:
            raise InventoryError(
                InventoryErrorCode.OVER_DELIVERY,
                f"{request.quantity.normalize()} is more than the demand of "
                f"{move.product_qty.normalize()}; allow over-delivery to do it.",
                field=request.at("quantity"),
            )
        requests[move.id] = request
    lot_ids = await _resolve_lots(uow, stock, by_id, given, requests)
    for move_id, lot_list in lot_ids.items():
        requests[move_id].lots = lot_list
    for move in active:
        if move.id not in requests:
            requests[move.id] = _Request(quantity=reserved(lines[move.id]))
    return requests


async def _resolve_lots(
    uow: UnitOfWork,
    stock: Stock,
    moves: dict[int, Move],
    given: Sequence[MoveDone],
    requests: dict[int, _Request],
) -> dict[int, list[tuple[int, Decimal]]]:
    """The lot IDs of the given lots; names new to goods coming in become lots."""
    wanted_ids: set[int] = set()
    wanted_names: set[tuple[int, str]] = set()
    for entry in given:
        move = moves[entry.move_id]
        request = requests[move.id]
        if entry.lots and stock.tracking(move.product_id) is Tracking.NONE:
            raise InventoryError(
                InventoryErrorCode.INVALID,
                "This product is not tracked by lots.",
                field=request.at("lots"),
            )
        for position, lot in enumerate(entry.lots):
            if lot.lot_id is not None:
                wanted_ids.add(lot.lot_id)
            elif (lot.lot_name or "").strip():
                wanted_names.add((move.product_id, (lot.lot_name or "").strip()))
            else:
                raise InventoryError(
                    InventoryErrorCode.REQUIRED,
                    "Name the lot by ID or by name.",
                    field=request.at("lots", str(position)),
                )
    by_id: dict[int, Lot] = {}
    by_name: dict[tuple[int, str], Lot] = {}
    if wanted_ids:
        for found in await uow.session.scalars(
            select(Lot).where(Lot.id.in_(wanted_ids), Lot.company_id == stock.company_id)
        ):
            by_id[found.id] = found
    if wanted_names:
        for found in await uow.session.scalars(
            select(Lot).where(
                Lot.company_id == stock.company_id,
                tuple_(Lot.product_id, Lot.name).in_(sorted(wanted_names)),
            )
        ):
            by_name[(found.product_id, found.name)] = found
    chosen: list[tuple[int, Lot, Decimal]] = []
    for entry in given:
        move = moves[entry.move_id]
        request = requests[move.id]
        incoming = not stock.is_internal(move.location_id)
        for position, lot in enumerate(entry.lots):
            path = request.at("lots", str(position))
            if lot.lot_id is not None:
                record = by_id.get(lot.lot_id)
                if record is None or record.product_id != move.product_id:
                    raise InventoryError(
                        InventoryErrorCode.NOT_FOUND,
                        "No such lot of this product.",
                        field=[*(path or []), "lot_id"],
                    )
            else:
                key = (move.product_id, (lot.lot_name or "").strip())
                record = by_name.get(key)
                if record is None and not incoming:
                    raise InventoryError(
                        InventoryErrorCode.NOT_FOUND,
                        f"No lot {key[1]!r} of this product.",
                        field=[*(path or []), "lot_name"],
                    )
                if record is None:
                    record = Lot(company_id=stock.company_id, product_id=key[0], name=key[1])
                    uow.session.add(record)
                    by_name[key] = record
            if stock.tracking(move.product_id) is Tracking.SERIAL and lot.quantity != 1:
                raise InventoryError(
                    InventoryErrorCode.SERIAL_QUANTITY,
                    "A serial number is one unit.",
                    field=[*(path or []), "quantity"],
                )
            chosen.append((move.id, record, lot.quantity))
    await uow.session.flush()  # numbers the new lots, all in one go
    resolved: dict[int, list[tuple[int, Decimal]]] = {}
    for move_id, record, quantity in chosen:
        resolved.setdefault(move_id, []).append((record.id, quantity))
    return resolved


async def _plan(
    uow: UnitOfWork,
    stock: Stock,
    active: Sequence[Move],
    lines: dict[int, list[MoveLine]],
    requests: dict[int, _Request],
) -> dict[int, list[DoneLine]]:
    """Release the moves' reservations and take the done goods from their sources."""
    preferred: dict[int, list[QuantKey]] = {}
    for move in active:
        preferred[move.id] = [
            (line.product_id, line.location_id, line.lot_id) for line in lines[move.id]
        ]
        for line in lines[move.id]:
            if stock.counts(move.product_id, move.location_id) and line.reserved_quantity > 0:
                stock.release(
                    move.product_id, line.location_id, line.lot_id, line.reserved_quantity
                )
            await uow.session.delete(line)
        set_state(move, MoveState.CONFIRMED)
    await uow.session.flush()
    plans: dict[int, list[DoneLine]] = {}
    for move in active:
        request = requests[move.id]
        if request.quantity <= 0:
            plans[move.id] = []
        elif stock.counts(move.product_id, move.location_id):
            plans[move.id] = take_from_stock(
                stock, move, request.quantity, request.lots, preferred[move.id], request.at
            )
        else:
            plans[move.id] = _arriving(stock, move, request, lines[move.id])
    await _check_serials(uow, stock, active, plans)
    return plans


def take_from_stock(
    stock: Stock,
    move: Move,
    quantity: Decimal,
    lots: Sequence[tuple[int, Decimal]] = (),
    preferred: Sequence[QuantKey] = (),
    at: Any = lambda *path: None,
) -> list[DoneLine]:
    """Take `quantity` of the move's product from free stock under its source: from the
    given lots, else from any lot (tracked products never from stock without lot)."""
    tracked = stock.tracking(move.product_id) is not Tracking.NONE
    wanted: Sequence[tuple[int | None, Decimal]] = lots or [(None, quantity)]
    done: list[DoneLine] = []
    for lot_id, amount in wanted:
        left = amount
        for quant in stock.fifo(
            move.product_id,
            move.location_id,
            lot_ids={lot_id} if lot_id is not None else None,
            first=preferred,
        ):
            if tracked and quant.lot_id is None:
                continue
            take = min(stock.free(quant), left)
            stock.take(quant, take)
            done.append(DoneLine(quant.location_id, quant.lot_id, take, quant.in_date))
            left -= take
            if left <= 0:
                break
        if left > 0:
            product = stock.products[move.product_id]
            location = stock.locations[move.location_id]
            untracked = any(
                quant.lot_id is None and stock.free(quant) > 0
                for quant in stock.fifo(move.product_id, move.location_id)
            )
            if tracked and lot_id is None and untracked:
                raise InventoryError(
                    InventoryErrorCode.LOT_REQUIRED,
                    f"{product.name} is tracked: stock without lot cannot leave; "
                    "give the lots, or count them in an inventory adjustment.",
                    field=at("lots"),
                )
            raise InventoryError(
                InventoryErrorCode.INSUFFICIENT_STOCK,
                f"{left.normalize()} {product.name} missing in {location.full_name}.",
                field=at("quantity"),
            )
    return done


def _arriving(
    stock: Stock, move: Move, request: _Request, expected: Sequence[MoveLine]
) -> list[DoneLine]:
    """Lines of goods coming from outside our stock (or not counted): lots as given, else as
    expected (a return brings back the lots that left)."""
    wanted: list[tuple[int | None, Decimal]] = list(request.lots)
    if not wanted:
        left = request.quantity
        for line in expected:
            if line.lot_id is not None and left > 0:
                take = min(left, line.reserved_quantity)
                wanted.append((line.lot_id, take))
                left -= take
        if left > 0:
            wanted.append((None, left))
    tracking = stock.tracking(move.product_id)
    if tracking is not Tracking.NONE and any(lot_id is None for lot_id, _ in wanted):
        raise InventoryError(
            InventoryErrorCode.LOT_REQUIRED,
            f"{stock.products[move.product_id].name} is tracked: give the "
            f"{'serial numbers' if tracking is Tracking.SERIAL else 'lots'}.",
            field=request.at("lots"),
        )
    if tracking is Tracking.SERIAL and any(amount != 1 for _, amount in wanted):
        raise InventoryError(
            InventoryErrorCode.SERIAL_QUANTITY,
            "A serial number is one unit.",
            field=request.at("lots"),
        )
    now = utcnow()
    return [DoneLine(move.location_id, lot_id, amount, now) for lot_id, amount in wanted]


async def _check_serials(
    uow: UnitOfWork, stock: Stock, moves: Sequence[Move], plans: dict[int, list[DoneLine]]
) -> None:
    """A serial number coming into our stock must not be in it already, nor come twice."""
    arriving: list[int] = [
        line.lot_id
        for move in moves
        if stock.tracking(move.product_id) is Tracking.SERIAL
        and stock.counts(move.product_id, move.location_dest_id)
        and not stock.is_internal(move.location_id)
        for line in plans[move.id]
        if line.lot_id is not None
    ]
    if not arriving:
        return
    in_stock = set(
        await uow.session.scalars(
            select(Quant.lot_id).where(Quant.lot_id.in_(arriving), Quant.quantity > 0)
        )
    )
    if in_stock or len(set(arriving)) != len(arriving):
        names = await uow.session.scalars(
            select(Lot.name).where(Lot.id.in_(in_stock or set(arriving))).order_by(Lot.name)
        )
        raise InventoryError(
            InventoryErrorCode.SERIAL_IN_STOCK,
            f"Serial numbers already in stock or given twice: {', '.join(names)}.",
        )


async def apply_done_lines(
    uow: UnitOfWork,
    stock: Stock,
    plans: Sequence[tuple[Move, list[DoneLine]]],
    valuation: StockValuationKind | None = None,
) -> None:
    """Write the done lines, put their goods in the destination quants, and value the goods
    entering or leaving our stock (layers and Stock-journal entries; `valuation` overrides
    the kind of those entries).

    The goods already left their source quants when they were taken (`take_from_stock`).
    """
    await stock.ensure(
        {
            (move.product_id, move.location_dest_id, line.lot_id)
            for move, done in plans
            if stock.counts(move.product_id, move.location_dest_id)
            for line in done
        }
    )
    for move, done in plans:
        for line in done:
            if stock.counts(move.product_id, move.location_dest_id):
                stock.put(
                    move.product_id, move.location_dest_id, line.lot_id, line.quantity, line.in_date
                )
            uow.session.add(
                MoveLine(
                    company_id=move.company_id,
                    move_id=move.id,
                    product_id=move.product_id,
                    lot_id=line.lot_id,
                    location_id=line.location_id,
                    location_dest_id=move.location_dest_id,
                    reserved_quantity=ZERO,
                    quantity_done=line.quantity,
                )
            )
    await uow.session.flush()
    await value_done_moves(uow, stock, plans, valuation)


async def _new_backorder(uow: UnitOfWork, picking: Picking) -> Picking:
    kind = await uow.session.get(PickingType, picking.picking_type_id)
    assert kind is not None
    later = Picking(
        company_id=picking.company_id,
        name=await next_sequence_number(
            uow, picking.company_id, f"stock.picking.{kind.id}", prefix=kind.sequence_prefix
        ),
        picking_type_id=picking.picking_type_id,
        state=PickingState.CONFIRMED,
        partner_id=picking.partner_id,
        location_id=picking.location_id,
        location_dest_id=picking.location_dest_id,
        scheduled_date=picking.scheduled_date,
        origin_name=picking.origin_name,
        origin=picking.origin,
        backorder_id=picking.id,
        return_id=picking.return_id,
    )
    uow.session.add(later)
    await uow.session.flush()
    return later


def _split(
    stock: Stock,
    active: Sequence[Move],
    requests: dict[int, _Request],
    later: Picking | None,
    picking: Picking,
) -> list[Move]:
    """Moves for what was not done: in the backorder when there is one, else cancelled."""
    rest = []
    for move in active:
        done = requests[move.id].quantity
        if done >= move.product_qty:
            continue
        if done == 0:
            if later is not None:
                move.picking_id = later.id
            else:
                set_state(move, MoveState.CANCEL)
            continue
        product_uom, uom = stock.product_uom(move.product_id), stock.uoms[move.uom_id]
        left = move.product_qty - done
        rest.append(
            Move(
                company_id=move.company_id,
                picking_id=later.id if later is not None else picking.id,
                product_id=move.product_id,
                name=move.name,
                state=MoveState.CONFIRMED if later is not None else MoveState.CANCEL,
                quantity=convert_quantity(left, product_uom, uom),
                uom_id=move.uom_id,
                product_qty=left,
                location_id=move.location_id,
                location_dest_id=move.location_dest_id,
                date=move.date,
                origin_name=move.origin_name,
                origin=move.origin,
                origin_return_move_id=move.origin_return_move_id,
                price_unit=move.price_unit,
            )
        )
        move.product_qty = done
        move.quantity = convert_quantity(done, product_uom, uom)
    return rest


def _moved_quantities(
    stock: Stock, moves: Sequence[Move], requests: dict[int, _Request]
) -> tuple[MovedQuantity, ...]:
    """What the moves with an origin did, in their own units, and between which places."""
    moved = []
    for move in moves:
        done = requests[move.id].quantity
        if move.origin is None or done <= 0:
            continue
        moved.append(
            MovedQuantity(
                origin=move.origin,
                quantity=convert_quantity(
                    done, stock.product_uom(move.product_id), stock.uoms[move.uom_id]
                ),
                source=stock.locations[move.location_id].usage,
                destination=stock.locations[move.location_dest_id].usage,
            )
        )
    return tuple(moved)
