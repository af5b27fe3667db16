"""Purchasing's reactions to inventory and accounting, filtered on the purchasing origins
their events echo: received quantities, the orders' receipt status, released billed
quantities."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select

from domain.accounting.events import InvoicedQuantitiesReleased
from domain.core.events import subscribe
from domain.core.uow import UnitOfWork
from domain.inventory.events import MovedQuantity, OriginPickings, PickingCancelled, PickingDone
from domain.inventory.models import LocationUsage
from domain.purchasing.models import (
    PURCHASE_LINE,
    PURCHASE_ORDER,
    PurchaseOrder,
    PurchaseOrderLine,
    ReceiptStatus,
)
from domain.purchasing.services import get_order, order_lines, refresh_bill_quantities


def receipt_status(pickings: OriginPickings) -> ReceiptStatus:
    """Nothing open and nothing done: nothing; nothing open: full; some done: partial."""
    if pickings.open == 0:
        return ReceiptStatus.FULL if pickings.done else ReceiptStatus.NOTHING
    return ReceiptStatus.PARTIAL if pickings.done else ReceiptStatus.PENDING


def received(moved: MovedQuantity) -> Decimal:
    """What a move received: in from a vendor counts, back to one counts against."""
    sign = (moved.source is LocationUsage.VENDOR) - (moved.destination is LocationUsage.VENDOR)
    return sign * moved.quantity


@subscribe(PickingDone)
async def record_received_quantities(event: PickingDone, uow: UnitOfWork) -> None:
    """Received (and returned) goods count on their order lines, and may become billable."""
    if event.pickings is None or event.pickings.origin.kind != PURCHASE_ORDER:
        return
    order = await get_order(uow, event.company_id, event.pickings.origin.id, lock=True)
    lines = await order_lines(uow, [order.id])
    quantities: dict[int, Decimal] = defaultdict(Decimal)
    for moved in event.moves:
        if moved.origin.kind == PURCHASE_LINE:
            quantities[moved.origin.id] += received(moved)
    for line in lines:
        line.qty_received += quantities.get(line.id, Decimal(0))
    await refresh_bill_quantities(uow, [order], lines)
    order.receipt_status = receipt_status(event.pickings)
    await uow.session.flush()


@subscribe(PickingCancelled)
async def record_cancelled_receipt(event: PickingCancelled, uow: UnitOfWork) -> None:
    if event.pickings is None or event.pickings.origin.kind != PURCHASE_ORDER:
        return
    order = await get_order(uow, event.company_id, event.pickings.origin.id, lock=True)
    order.receipt_status = receipt_status(event.pickings)
    await uow.session.flush()


@subscribe(InvoicedQuantitiesReleased)
async def release_billed_quantities(event: InvoicedQuantitiesReleased, uow: UnitOfWork) -> None:
    """Credited or cancelled bill lines give their quantities back to the order lines."""
    quantities: dict[int, Decimal] = defaultdict(Decimal)
    for released in event.lines:
        if released.origin.kind == PURCHASE_LINE:
            quantities[released.origin.id] += released.quantity
    if not quantities:
        return
    order_ids = sorted(
        set(
            await uow.session.scalars(
                select(PurchaseOrderLine.order_id).where(PurchaseOrderLine.id.in_(list(quantities)))
            )
        )
    )
    orders: list[PurchaseOrder] = [
        await get_order(uow, event.company_id, order_id, lock=True) for order_id in order_ids
    ]
    lines = await order_lines(uow, order_ids)
    for line in lines:
        line.qty_billed -= quantities.get(line.id, Decimal(0))
    await refresh_bill_quantities(uow, orders, lines)
    await uow.session.flush()
