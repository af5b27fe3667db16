"""Sales' reactions to inventory and accounting, filtered on the sales origins their events
echo: delivered quantities, the orders' delivery status, released invoiced quantities."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from domain.accounting.events import InvoicedQuantitiesReleased
from domain.core.events import subscribe
from domain.core.uow import UnitOfWork
from domain.inventory.events import MovedQuantity, OriginPickings, PickingCancelled, PickingDone
from domain.inventory.models import LocationUsage
from domain.sales.invoicing import release_invoiced
from domain.sales.models import SALE_LINE, SALE_ORDER, DeliveryStatus
from domain.sales.services import get_order, order_lines, refresh_invoice_quantities


def delivery_status(pickings: OriginPickings) -> DeliveryStatus:
    """Nothing open and nothing done: nothing; nothing open: full; some done: partial."""
    if pickings.open == 0:
        return DeliveryStatus.FULL if pickings.done else DeliveryStatus.NOTHING
    return DeliveryStatus.PARTIAL if pickings.done else DeliveryStatus.PENDING


def delivered(moved: MovedQuantity) -> Decimal:
    """What a move delivered: out to a customer counts, back from one counts against."""
    sign = (moved.destination is LocationUsage.CUSTOMER) - (moved.source is LocationUsage.CUSTOMER)
    return sign * moved.quantity


@subscribe(PickingDone)
async def record_delivered_quantities(event: PickingDone, uow: UnitOfWork) -> None:
    """Delivered (and returned) goods count on their order lines, and may become invoiceable."""
    if event.pickings is None or event.pickings.origin.kind != SALE_ORDER:
        return
    order = await get_order(uow, event.company_id, event.pickings.origin.id, lock=True)
    lines = await order_lines(uow, order.id)
    quantities: dict[int, Decimal] = defaultdict(Decimal)
    for moved in event.moves:
        if moved.origin.kind == SALE_LINE:
            quantities[moved.origin.id] += delivered(moved)
    for line in lines:
        line.qty_delivered += quantities.get(line.id, Decimal(0))
    await refresh_invoice_quantities(uow, order, lines)
    order.delivery_status = delivery_status(event.pickings)
    await uow.session.flush()


@subscribe(PickingCancelled)
async def record_cancelled_delivery(event: PickingCancelled, uow: UnitOfWork) -> None:
    if event.pickings is None or event.pickings.origin.kind != SALE_ORDER:
        return
    order = await get_order(uow, event.company_id, event.pickings.origin.id, lock=True)
    order.delivery_status = delivery_status(event.pickings)
    await uow.session.flush()


@subscribe(InvoicedQuantitiesReleased)
async def release_invoiced_quantities(event: InvoicedQuantitiesReleased, uow: UnitOfWork) -> None:
    """Credited or cancelled invoice lines give their quantities back to the order lines."""
    quantities: dict[int, Decimal] = defaultdict(Decimal)
    for line in event.lines:
        if line.origin.kind == SALE_LINE:
            quantities[line.origin.id] += line.quantity
    if quantities:
        await release_invoiced(uow, event.company_id, quantities)
