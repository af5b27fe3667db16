"""Reserving stock for moves, oldest stock first, and giving reservations back.

A move reserves from the free quantity (on hand less reserved) of the quants under its source
location, oldest incoming date first; what it holds is written on its move lines, one per
source quant, and added to those quants' `reserved_quantity`. Goods that are not counted in
quants (consumables, or goods coming from outside our stock) are always available: their move
gets one line expecting the whole demand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal

from sqlalchemy import literal, or_, select

from domain.catalog.models import Tracking
from domain.core.uow import UnitOfWork
from domain.core.workflow import Workflow
from domain.inventory.errors import InventoryError, InventoryErrorCode
from domain.inventory.models import (
    Location,
    LocationUsage,
    Move,
    MoveLine,
    MoveState,
    Picking,
    PickingState,
    Quant,
)
from domain.inventory.stock import ZERO, Stock

M = MoveState
MOVE_WORKFLOW: Workflow[MoveState] = Workflow(
    {
        M.DRAFT: frozenset({M.WAITING, M.CONFIRMED, M.CANCEL}),
        M.WAITING: frozenset({M.CONFIRMED, M.CANCEL}),
        M.CONFIRMED: frozenset({M.PARTIALLY_AVAILABLE, M.ASSIGNED, M.DONE, M.CANCEL}),
        M.PARTIALLY_AVAILABLE: frozenset({M.CONFIRMED, M.ASSIGNED, M.DONE, M.CANCEL}),
        M.ASSIGNED: frozenset({M.CONFIRMED, M.PARTIALLY_AVAILABLE, M.DONE, M.CANCEL}),
        M.DONE: frozenset(),
        M.CANCEL: frozenset(),
    },
    lambda current, target: InventoryError(
        InventoryErrorCode.INVALID_TRANSITION,
        f"A move cannot go from {current.value} to {target.value}.",
    ),
)
#: Moves that may hold or take reservations.
RESERVABLE = frozenset({M.CONFIRMED, M.PARTIALLY_AVAILABLE, M.ASSIGNED})
#: Moves still to happen.
OPEN = frozenset({M.DRAFT, M.WAITING, M.CONFIRMED, M.PARTIALLY_AVAILABLE, M.ASSIGNED})
#: Moves waiting for stock, wholly or in part.
WAITING_FOR_STOCK = frozenset({M.CONFIRMED, M.PARTIALLY_AVAILABLE})


def set_state(move: Move, target: MoveState) -> None:
    """Move `move` to `target` through the move workflow (staying put is always allowed)."""
    if move.state is not target:
        move.state = MOVE_WORKFLOW.check(move.state, target)


def picking_state(states: Sequence[MoveState]) -> PickingState:
    """A picking's state from its moves' states.

    No moves or any draft move: draft; all cancelled: cancel; all done or cancelled: done;
    of the open moves, all reserved: assigned; some reserved: partially_available; all
    waiting for another operation: waiting; otherwise confirmed (waiting for stock).
    """
    if not states or any(state is M.DRAFT for state in states):
        return PickingState.DRAFT
    if all(state is M.CANCEL for state in states):
        return PickingState.CANCEL
    open_states = [state for state in states if state in OPEN]
    if not open_states:
        return PickingState.DONE
    if all(state is M.ASSIGNED for state in open_states):
        return PickingState.ASSIGNED
    if any(state in (M.ASSIGNED, M.PARTIALLY_AVAILABLE) for state in open_states):
        return PickingState.PARTIALLY_AVAILABLE
    if all(state is M.WAITING for state in open_states):
        return PickingState.WAITING
    return PickingState.CONFIRMED


async def refresh_picking_states(uow: UnitOfWork, picking_ids: Iterable[int]) -> None:
    """Recompute the state of these pickings from their moves."""
    ids = sorted(set(picking_ids))
    if not ids:
        return
    states: dict[int | None, list[MoveState]] = defaultdict(list)
    for picking_id, state in await uow.session.execute(
        select(Move.picking_id, Move.state).where(Move.picking_id.in_(ids))
    ):
        states[picking_id].append(state)
    for picking in await uow.session.scalars(select(Picking).where(Picking.id.in_(ids))):
        picking.state = picking_state(states[picking.id])


async def lines_of(uow: UnitOfWork, moves: Iterable[Move]) -> dict[int, list[MoveLine]]:
    """The move lines of `moves`, by move, in creation order."""
    ids = [move.id for move in moves]
    grouped: dict[int, list[MoveLine]] = {move_id: [] for move_id in ids}
    if ids:
        for line in await uow.session.scalars(
            select(MoveLine).where(MoveLine.move_id.in_(ids)).order_by(MoveLine.id)
        ):
            grouped[line.move_id].append(line)
    return grouped


def reserved(lines: Iterable[MoveLine]) -> Decimal:
    return sum((line.reserved_quantity for line in lines), ZERO)


def _reservation_state(move: Move, held: Decimal) -> MoveState:
    if held >= move.product_qty:
        return M.ASSIGNED
    return M.PARTIALLY_AVAILABLE if held > 0 else M.CONFIRMED


async def reserve_moves(uow: UnitOfWork, stock: Stock, moves: Sequence[Move]) -> None:
    """Reserve what is missing for each open move, oldest moves first, oldest stock first.

    `stock` must hold the quants under the moves' source locations.
    """
    candidates = [move for move in moves if move.state in RESERVABLE]
    lines = await lines_of(uow, candidates)
    for move in sorted(candidates, key=lambda move: (move.date, move.id)):
        move_lines = lines[move.id]
        if not stock.counts(move.product_id, move.location_id):
            if not move_lines:
                uow.session.add(_line(move, move.location_id, None, move.product_qty))
            set_state(move, M.ASSIGNED)
            continue
        by_key = {(line.location_id, line.lot_id): line for line in move_lines}
        missing = move.product_qty - reserved(move_lines)
        tracked = stock.tracking(move.product_id) is not Tracking.NONE
        for quant in stock.fifo(move.product_id, move.location_id) if missing > 0 else ():
            if tracked and quant.lot_id is None:
                continue  # stock of a tracked product without lot cannot leave
            take = min(stock.free(quant), missing)
            stock.reserve(quant, take)
            line = by_key.get((quant.location_id, quant.lot_id))
            if line is None:
                line = _line(move, quant.location_id, quant.lot_id, ZERO)
                by_key[(quant.location_id, quant.lot_id)] = line
                move_lines.append(line)
                uow.session.add(line)
            line.reserved_quantity += take
            missing -= take
            if missing <= 0:
                break
        set_state(move, _reservation_state(move, reserved(move_lines)))
    await uow.session.flush()


async def reserve_waiting_moves(
    uow: UnitOfWork, company_id: int, arrivals: Collection[tuple[int, int]] | None = None
) -> list[Move]:
    """Reserve what the moves waiting for stock can take now, oldest scheduled first, and
    return those moves.

    `arrivals` are (product, location) pairs where goods just came in: only moves of those
    products taking from one of those locations or a location above them are served. Without
    it, every waiting move of the company is (the periodic catch-up). A constant number of
    statements, however many moves wait.
    """
    source = select(Location.id).where(
        Location.company_id == company_id, Location.usage == LocationUsage.INTERNAL
    )
    waiting = [
        Move.company_id == company_id,
        Move.state.in_(WAITING_FOR_STOCK),
        Move.location_id.in_(source.scalar_subquery()),
    ]
    if arrivals is not None:
        if not arrivals:
            return []
        paths = await uow.session.scalars(
            select(Location.parent_path).where(
                Location.id.in_({location_id for _, location_id in arrivals})
            )
        )
        # The arrival location lies under the move's source: its path starts with the source's.
        above = select(Location.id).where(
            Location.company_id == company_id,
            or_(*(literal(path).startswith(Location.parent_path) for path in set(paths))),
        )
        waiting += [
            Move.product_id.in_({product_id for product_id, _ in arrivals}),
            Move.location_id.in_(above.scalar_subquery()),
        ]
    found = {
        (row.product_id, row.location_id)
        for row in await uow.session.execute(
            select(Move.product_id, Move.location_id).where(*waiting)
        )
    }
    if not found:
        return []
    stock = await Stock.lock(
        uow, company_id, {product for product, _ in found}, {location for _, location in found}
    )
    # Read again under the quants' locks: a move done meanwhile is seen done now, and one
    # that started waiting since waits for the next round.
    moves = [
        move
        for move in await uow.session.scalars(
            select(Move)
            .where(*waiting)
            .order_by(Move.date, Move.id)
            .execution_options(populate_existing=True)
        )
        if (move.product_id, move.location_id) in found
    ]
    await reserve_moves(uow, stock, moves)
    await refresh_picking_states(uow, {move.picking_id for move in moves if move.picking_id})
    return moves


async def unreserve_moves(
    uow: UnitOfWork, stock: Stock, moves: Sequence[Move], *, reopen: bool = True
) -> None:
    """Give back what open moves reserved from quants; `reopen` sets them to confirmed."""
    candidates = [move for move in moves if move.state in RESERVABLE]
    lines = await lines_of(uow, candidates)
    for move in candidates:
        if not stock.counts(move.product_id, move.location_id):
            continue
        for line in lines[move.id]:
            if line.reserved_quantity > 0:
                stock.release(
                    move.product_id, line.location_id, line.lot_id, line.reserved_quantity
                )
            await uow.session.delete(line)
        if reopen:
            set_state(move, M.CONFIRMED)
    await uow.session.flush()


async def release_excess(uow: UnitOfWork, limits: Sequence[tuple[Quant, Decimal]]) -> set[int]:
    """Cut reservations so each quant reserves at most its limit, newest moves first.

    Returns the IDs of the pickings whose moves lost reservations.
    """
    short = [(quant, limit) for quant, limit in limits if quant.reserved_quantity > limit]
    if not short:
        return set()
    rows = await uow.session.execute(
        select(MoveLine, Move)
        .join(Move, Move.id == MoveLine.move_id)
        .where(
            MoveLine.product_id.in_({quant.product_id for quant, _ in short}),
            MoveLine.location_id.in_({quant.location_id for quant, _ in short}),
            MoveLine.reserved_quantity > 0,
            Move.state.in_(RESERVABLE),
        )
        .order_by(Move.date.desc(), Move.id.desc(), MoveLine.id.desc())
    )
    by_quant: dict[tuple[int, int, int | None], list[tuple[MoveLine, Move]]] = defaultdict(list)
    for line, move in rows:
        by_quant[(line.product_id, line.location_id, line.lot_id)].append((line, move))
    touched: dict[int, Move] = {}
    for quant, limit in short:
        for line, move in by_quant[(quant.product_id, quant.location_id, quant.lot_id)]:
            excess = quant.reserved_quantity - limit
            if excess <= 0:
                break
            cut = min(excess, line.reserved_quantity)
            line.reserved_quantity -= cut
            quant.reserved_quantity -= cut
            touched[move.id] = move
            if line.reserved_quantity == 0:
                await uow.session.delete(line)
    remaining = await lines_of(uow, touched.values())
    for move in touched.values():
        set_state(move, _reservation_state(move, reserved(remaining[move.id])))
    await uow.session.flush()
    return {move.picking_id for move in touched.values() if move.picking_id is not None}


def _line(move: Move, location_id: int, lot_id: int | None, quantity: Decimal) -> MoveLine:
    return MoveLine(
        company_id=move.company_id,
        move_id=move.id,
        product_id=move.product_id,
        lot_id=lot_id,
        location_id=location_id,
        location_dest_id=move.location_dest_id,
        reserved_quantity=quantity,
        quantity_done=ZERO,
    )
