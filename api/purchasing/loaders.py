"""Purchasing documents behind the origins of other areas' records, batched: an order's
receipts and bills, one statement per batch of orders."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from strawberry.dataloader import DataLoader

from api.context import Info
from api.loaders import grouped
from domain.accounting.models import InvoiceLine, JournalEntry
from domain.inventory.models import Picking
from domain.purchasing.models import PURCHASE_LINE, PURCHASE_ORDER, PurchaseOrderLine


async def order_receipts(info: Info, order_id: int) -> list[Picking]:
    """The pickings made for the order (receipts, their backorders and returns)."""
    loader = info.context.loaders.by_origin(Picking, PURCHASE_ORDER, Picking.id)
    return await loader.load(order_id)


def order_bills(info: Info) -> DataLoader[int, list[JournalEntry]]:
    """Bills and vendor credit notes with a line made for a line of each order, oldest first."""
    context = info.context

    async def load(keys: Sequence[int]) -> list[list[JournalEntry]]:
        rows = await context.session.execute(
            select(PurchaseOrderLine.order_id, JournalEntry)
            .join(
                InvoiceLine,
                (InvoiceLine.origin_kind == PURCHASE_LINE)
                & (InvoiceLine.origin_id == PurchaseOrderLine.id),
            )
            .join(JournalEntry, JournalEntry.id == InvoiceLine.entry_id)
            .where(
                PurchaseOrderLine.order_id.in_(keys),
                JournalEntry.company_id == context.company_id,
            )
            .distinct()
            .order_by(PurchaseOrderLine.order_id, JournalEntry.id)
        )
        return grouped(rows, keys)

    return context.loaders.get("purchasing.order_bills", lambda: DataLoader(load_fn=load))
