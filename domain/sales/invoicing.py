"""Invoicing sales orders: what each line has to invoice becomes a customer invoice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select

from domain.accounting import invoices
from domain.accounting.models import JournalEntry, MoveType
from domain.core.db import utcnow
from domain.core.origins import Origin
from domain.core.services import currency_code
from domain.core.uow import UnitOfWork
from domain.partners.models import Partner
from domain.sales.errors import SalesError, SalesErrorCode
from domain.sales.models import (
    SALE_LINE,
    SaleOrder,
    SaleOrderLine,
    SaleOrderState,
    sale_order_line_tax,
)
from domain.sales.services import get_order, order_lines, refresh_invoice_quantities

INVOICEABLE = frozenset({SaleOrderState.SALE, SaleOrderState.DONE})


async def invoice_orders(
    uow: UnitOfWork, company_id: int, order_ids: Sequence[int], *, date: dt.date | None = None
) -> JournalEntry:
    """One draft invoice for what the orders' lines have to invoice (`qty_to_invoice`, which
    follows each product's ordered or delivered policy). Invoicing again bills nothing twice."""
    if not order_ids:
        raise SalesError(
            SalesErrorCode.REQUIRED, "Give the orders to invoice.", field=["order_ids"]
        )
    orders: list[SaleOrder] = []
    # Lock in id order: two invoicings of the same orders queue instead of double billing.
    for order_id in sorted(set(order_ids)):
        order = await get_order(uow, company_id, order_id, lock=True)
        if order.state not in INVOICEABLE:
            raise SalesError(
                SalesErrorCode.INVALID_TRANSITION,
                f"{order.name} is not a confirmed order.",
                field=["order_ids"],
            )
        orders.append(order)
    if len({(order.partner_id, order.currency_id) for order in orders}) > 1:
        raise SalesError(
            SalesErrorCode.INVALID,
            "Orders invoiced together share their customer and currency.",
            field=["order_ids"],
        )
    to_invoice: list[tuple[SaleOrder, SaleOrderLine]] = []
    by_order: dict[int, list[SaleOrderLine]] = {}
    for order in orders:
        lines = await order_lines(uow, order.id)
        by_order[order.id] = lines
        to_invoice.extend((order, line) for line in lines if line.qty_to_invoice > 0)
    if not to_invoice:
        raise SalesError(
            SalesErrorCode.NOTHING_TO_INVOICE, "The orders have nothing left to invoice."
        )
    taxes: dict[int, list[int]] = {line.id: [] for _, line in to_invoice}
    for line_id, tax_id in await uow.session.execute(
        select(sale_order_line_tax.c.line_id, sale_order_line_tax.c.tax_id).where(
            sale_order_line_tax.c.line_id.in_(list(taxes))
        )
    ):
        taxes[line_id].append(tax_id)
    partner = await uow.session.get(Partner, orders[0].partner_id)
    assert partner is not None
    invoice = await invoices.create_invoice(
        uow,
        company_id,
        move_type=MoveType.OUT_INVOICE,
        partner_id=partner.id,
        date=date or utcnow().date(),
        payment_term_id=partner.payment_term_id,
        ref=", ".join(order.name for order in orders),
        currency=await currency_code(uow, orders[0].currency_id),
        lines=[
            {
                "product_id": line.product_id,
                "name": line.name,
                "quantity": line.qty_to_invoice,
                "uom_id": line.uom_id,
                "price_unit": line.price_unit,
                "discount": line.discount,
                "tax_ids": taxes[line.id],
                "origin": Origin(SALE_LINE, line.id),
            }
            for _, line in to_invoice
        ],
    )
    for _, line in to_invoice:
        line.qty_invoiced += line.qty_to_invoice
    for order in orders:
        await refresh_invoice_quantities(uow, order, by_order[order.id])
    await uow.session.flush()
    return invoice


async def release_invoiced(
    uow: UnitOfWork, company_id: int, quantities: dict[int, Decimal]
) -> None:
    """Credited (or cancelled) quantities are no longer invoiced: they can be invoiced again."""
    lines = list(
        await uow.session.scalars(
            select(SaleOrderLine).where(SaleOrderLine.id.in_(list(quantities)))
        )
    )
    for order_id in sorted({line.order_id for line in lines}):
        order = await get_order(uow, company_id, order_id, lock=True)
        order_lines_ = await order_lines(uow, order.id)
        for line in order_lines_:
            if line.id in quantities:
                line.qty_invoiced -= quantities[line.id]
        await refresh_invoice_quantities(uow, order, order_lines_)
    await uow.session.flush()
