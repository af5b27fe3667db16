"""Sales' reactions to inventory: delivered quantities and the orders' delivery status."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from domain.accounting.events import InvoicedQuantitiesReleased
from domain.core.events import subscribe
from domain.core.uow import UnitOfWork
from domain.inventory.events import OrderPickings, PickingCancelled, PickingDone
from domain.sales.invoicing import release_invoiced
from domain.sales.models import DeliveryStatus
from domain.sales.services import get_order, order_lines, refresh_invoice_quantities


def delivery_status(pickings: OrderPickings) -> DeliveryStatus:
    """Nothing open and nothing done: nothing; nothing open: full; some done: partial."""
    if pickings.open == 0:
        return DeliveryStatus.FULL if pickings.done else DeliveryStatus.NOTHING
    return DeliveryStatus.PARTIAL if pickings.done else DeliveryStatus.PENDING


@subscribe(PickingDone)
async def record_delivered_quantities(event: PickingDone, uow: UnitOfWork) -> None:
    """Delivered (and returned) goods count on their order lines, and may become invoiceable."""
    if event.order is None:
        return
    order = await get_order(uow, event.company_id, event.order.sale_order_id, lock=True)
    lines = await order_lines(uow, order.id)
    delivered: dict[int, Decimal] = defaultdict(Decimal)
    for entry in event.delivered:
        delivered[entry.sale_line_id] += entry.quantity
    for line in lines:
        line.qty_delivered += delivered.get(line.id, Decimal(0))
    await refresh_invoice_quantities(uow, order, lines)
    order.delivery_status = delivery_status(event.order)
    await uow.session.flush()


@subscribe(PickingCancelled)
async def record_cancelled_delivery(event: PickingCancelled, uow: UnitOfWork) -> None:
    if event.order is None:
        return
    order = await get_order(uow, event.company_id, event.order.sale_order_id, lock=True)
    order.delivery_status = delivery_status(event.order)
    await uow.session.flush()


@subscribe(InvoicedQuantitiesReleased)
async def release_invoiced_quantities(event: InvoicedQuantitiesReleased, uow: UnitOfWork) -> None:
    """Credited or cancelled invoice lines give their quantities back to the order lines."""
    quantities: dict[int, Decimal] = defaultdict(Decimal)
    for line in event.lines:
        quantities[line.sale_line_id] += line.quantity
    await release_invoiced(uow, event.company_id, quantities)
