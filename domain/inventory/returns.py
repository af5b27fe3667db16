"""Returns: a picking sending back goods of a done one, linked to it.

A delivery's goods come back as a receipt from the customer, a receipt's go back as a
delivery to the vendor. What can still go back is what was done less what open or done
returns already send back. Tracked goods are expected back under the lots that left. A return
keeps the origins of the picking and moves it sends back, so the area that made them sees its
goods come back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from domain.core.db import utcnow
from domain.core.errors import DomainError
from domain.core.records import get_owned
from domain.core.services import check_quantity, convert_quantity, next_sequence_number
from domain.core.uow import UnitOfWork
from domain.inventory.errors import InventoryError, InventoryErrorCode
from domain.inventory.models import (
    Move,
    MoveLine,
    MoveState,
    Picking,
    PickingState,
    PickingType,
    PickingTypeCode,
)
from domain.inventory.reservation import refresh_picking_states, reserve_moves
from domain.inventory.stock import ZERO, Stock
from domain.inventory.warehouses import picking_type


@dataclass(frozen=True)
class ReturnQuantity:
    """How much of one done move to send back, in the product's unit."""

    move_id: int
    quantity: Decimal


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
    for index, entry in enumerate(quantities or ()):
        try:
            check_quantity(entry.quantity, stock.product_uom(by_id[entry.move_id].product_id))
        except DomainError as error:
            raise error.at("moves", str(index)) from None
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
        origin_name=f"Return of {original.name}",
        origin=original.origin,
        return_id=original.id,
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
                origin_name=picking.origin_name,
                origin=move.origin,
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
