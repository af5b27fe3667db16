"""Sales documents behind the origins of other areas' records, batched.

Inventory and accounting store origins (kind + ID) without knowing sales; the API, above
both, resolves the sales side here: a picking's sales order, a move's sales order line, an
order's deliveries and invoices. The other areas' types call these for their sales fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from strawberry.dataloader import DataLoader

from api.context import Info
from api.loaders import grouped
from domain.accounting.models import InvoiceLine, JournalEntry
from domain.core.origins import Origin
from domain.inventory.models import Picking
from domain.sales.models import SALE_LINE, SALE_ORDER, SaleOrder, SaleOrderLine


async def sale_order_of(info: Info, origin: Origin | None) -> Any:
    """The sales order `origin` names, if it names one."""
    if origin is None or origin.kind != SALE_ORDER:
        return None
    return await info.context.loaders.one(SaleOrder, origin.id)


async def sale_line_of(info: Info, origin: Origin | None) -> Any:
    """The sales order line `origin` names, if it names one."""
    if origin is None or origin.kind != SALE_LINE:
        return None
    return await info.context.loaders.one(SaleOrderLine, origin.id)


async def order_deliveries(info: Info, order_id: int) -> list[Picking]:
    """The pickings made for the order (deliveries, their backorders and returns)."""
    loader = info.context.loaders.by_origin(Picking, SALE_ORDER, Picking.id)
    return await loader.load(order_id)


def order_invoices(info: Info) -> DataLoader[int, list[JournalEntry]]:
    """Invoices and credit notes with a line made for a line of each order, oldest first."""
    context = info.context

    async def load(keys: Sequence[int]) -> list[list[JournalEntry]]:
        rows = await context.session.execute(
            select(SaleOrderLine.order_id, JournalEntry)
            .join(
                InvoiceLine,
                (InvoiceLine.origin_kind == SALE_LINE)
                & (InvoiceLine.origin_id == SaleOrderLine.id),
            )
            .join(JournalEntry, JournalEntry.id == InvoiceLine.entry_id)
            .where(
                SaleOrderLine.order_id.in_(keys),
                JournalEntry.company_id == context.company_id,
            )
            .distinct()
            .order_by(SaleOrderLine.order_id, JournalEntry.id)
        )
        return grouped(rows, keys)

    return context.loaders.get("sales.order_invoices", lambda: DataLoader(load_fn=load))
