"""Purchases built through the purchasing services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select

from domain.core.origins import Origin
from domain.inventory.models import Picking
from domain.partners import services as partners
from domain.purchasing import services as purchasing
from domain.purchasing.models import PURCHASE_ORDER, PurchaseOrder, PurchaseOrderLine
from tests.conftest import Db


async def make_vendor(db: Db, name: str = "Wood Corner") -> int:
    partner = await db.run(
        lambda uow: partners.create_partner(uow, db.company_id, {"name": name, "is_vendor": True})
    )
    return partner.id


async def vendor_price(
    db: Db,
    product_id: int,
    partner_id: int,
    price: str,
    *,
    min_quantity: str = "0",
    lead_days: int = 0,
    date_start: dt.date | None = None,
    date_end: dt.date | None = None,
) -> int:
    created = await db.run(
        lambda uow: purchasing.create_vendor_price(
            uow,
            db.company_id,
            {
                "product_id": product_id,
                "partner_id": partner_id,
                "price": Decimal(price),
                "min_quantity": Decimal(min_quantity),
                "lead_days": lead_days,
                "date_start": date_start,
                "date_end": date_end,
            },
        )
    )
    return created.id


async def purchase(
    db: Db, vendor: int, lines: Sequence[purchasing.LineValues], *, confirm: bool = True
) -> PurchaseOrder:
    """A request for quotation to `vendor`, confirmed into an order by default."""
    order = await db.run(
        lambda uow: purchasing.create_purchase_order(
            uow, db.company_id, {"partner_id": vendor}, lines
        )
    )
    if confirm:
        order = await db.run(
            lambda uow: purchasing.confirm_purchase_order(uow, db.company_id, order.id)
        )
    return order


async def order_of(db: Db, order_id: int) -> tuple[PurchaseOrder, list[PurchaseOrderLine]]:
    async with db.sessions() as session:
        order = await session.get(PurchaseOrder, order_id)
        lines = list(
            await session.scalars(
                select(PurchaseOrderLine)
                .where(PurchaseOrderLine.order_id == order_id)
                .order_by(PurchaseOrderLine.id)
            )
        )
    assert order is not None
    return order, lines


async def receipts(db: Db, order_id: int) -> list[Picking]:
    async with db.sessions() as session:
        return list(
            await session.scalars(
                select(Picking)
                .where(Picking.origin == Origin(PURCHASE_ORDER, order_id))
                .order_by(Picking.id)
            )
        )
