"""Vendor bills from purchase orders, with the three-way match of order, receipt and bill.

What each line has to bill (`qty_to_bill`) follows its product's control policy: what was
ordered, or what was received. A bill line the caller gives is matched against its order
line: more than is left to bill, or a price off the ordered one by more than
`PRICE_TOLERANCE`, is refused unless the caller overrides the match with a reason, which the
command's audit record keeps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.accounting import invoices
from domain.accounting.models import JournalEntry, MoveType
from domain.core.db import utcnow
from domain.core.origins import Origin
from domain.core.services import currency_code
from domain.core.uow import UnitOfWork
from domain.partners.models import Partner
from domain.purchasing.errors import PurchasingError, PurchasingErrorCode
from domain.purchasing.models import PURCHASE_LINE, PurchaseOrder, PurchaseOrderLine
from domain.purchasing.services import (
    CONFIRMED,
    get_order,
    line_taxes,
    order_lines,
    refresh_bill_quantities,
)

#: How far a billed unit price may differ from the ordered one, relative to it (1 %).
PRICE_TOLERANCE = Decimal("0.01")


@dataclass(frozen=True)
class BillLine:
    """A line as the vendor billed it: which order line, how much, at what unit price (the
    ordered price when left out)."""

    line_id: int
    quantity: Decimal
    price_unit: Decimal | None = None


async def bill_purchase_orders(
    uow: UnitOfWork,
    company_id: int,
    order_ids: Sequence[int],
    *,
    date: dt.date | None = None,
    lines: Sequence[BillLine] = (),
    override_reason: str | None = None,
    vendor_ref: str | None = None,
) -> JournalEntry:
    """One draft vendor bill for the orders: the given `lines`, else every line's quantity
    to bill at its price. Billing again bills nothing twice."""
    if not order_ids:
        raise PurchasingError(
            PurchasingErrorCode.REQUIRED, "Give the orders to bill.", field=["order_ids"]
        )
    if override_reason is not None and not override_reason.strip():
        raise PurchasingError(
            PurchasingErrorCode.REQUIRED,
            "Say why the match is overridden.",
            field=["override_reason"],
        )
    orders: list[PurchaseOrder] = []
    # Lock in id order: two billings of the same orders queue instead of double billing.
    for order_id in sorted(set(order_ids)):
        order = await get_order(uow, company_id, order_id, lock=True)
        if order.state not in CONFIRMED:
            raise PurchasingError(
                PurchasingErrorCode.INVALID_TRANSITION,
                f"{order.name} is not a confirmed order.",
                field=["order_ids"],
            )
        orders.append(order)
    if len({(order.partner_id, order.currency_id) for order in orders}) > 1:
        raise PurchasingError(
            PurchasingErrorCode.INVALID,
            "Orders billed together share their vendor and currency.",
            field=["order_ids"],
        )
    all_lines = await order_lines(uow, [order.id for order in orders])
    billed = _match(all_lines, lines, overridden=override_reason is not None)
    if not billed:
        raise PurchasingError(
            PurchasingErrorCode.NOTHING_TO_BILL, "The orders have nothing left to bill."
        )
    taxes = await line_taxes(uow, [line.id for line, _, _ in billed])
    partner = await uow.session.get(Partner, orders[0].partner_id)
    assert partner is not None
    bill = await invoices.create_invoice(
        uow,
        company_id,
        move_type=MoveType.IN_INVOICE,
        partner_id=partner.id,
        date=date or utcnow().date(),
        payment_term_id=partner.payment_term_id,
        ref=vendor_ref or ", ".join(order.name for order in orders),
        currency=await currency_code(uow, orders[0].currency_id),
        lines=[
            {
                "product_id": line.product_id,
                "name": line.name,
                "quantity": quantity,
                "price_unit": price_unit,
                "discount": line.discount,
                "tax_ids": taxes[line.id],
                "origin": Origin(PURCHASE_LINE, line.id),
            }
            for line, quantity, price_unit in billed
        ],
    )
    for line, quantity, _ in billed:
        line.qty_billed += quantity
    await refresh_bill_quantities(uow, orders, all_lines)
    await uow.session.flush()
    return bill


def _match(
    order_lines_: Sequence[PurchaseOrderLine], given: Sequence[BillLine], *, overridden: bool
) -> list[tuple[PurchaseOrderLine, Decimal, Decimal]]:
    """(order line, quantity, unit price) to bill, the given lines matched against the
    order: quantity within what is left to bill, price within the tolerance."""
    if not given:
        return [
            (line, line.qty_to_bill, line.price_unit)
            for line in order_lines_
            if line.qty_to_bill > 0
        ]
    by_id = {line.id: line for line in order_lines_}
    result: list[tuple[PurchaseOrderLine, Decimal, Decimal]] = []
    asked: dict[int, Decimal] = {}
    for index, entry in enumerate(given):
        field = ["lines", str(index)]
        line = by_id.get(entry.line_id)
        if line is None:
            raise PurchasingError(
                PurchasingErrorCode.NOT_FOUND,
                "That is not a line of the orders billed.",
                field=[*field, "line_id"],
            )
        if entry.quantity <= 0:
            raise PurchasingError(
                PurchasingErrorCode.INVALID,
                "A billed quantity is positive.",
                field=[*field, "quantity"],
            )
        asked[line.id] = asked.get(line.id, Decimal(0)) + entry.quantity
        if asked[line.id] > line.qty_to_bill and not overridden:
            raise PurchasingError(
                PurchasingErrorCode.OVER_BILLED,
                f"Only {max(line.qty_to_bill, Decimal(0)).normalize():f} of {line.name!r} "
                "is left to bill; override the match with a reason to bill more.",
                field=[*field, "quantity"],
            )
        price = line.price_unit if entry.price_unit is None else entry.price_unit
        if price < 0:
            raise PurchasingError(
                PurchasingErrorCode.INVALID,
                "A price cannot be negative.",
                field=[*field, "price_unit"],
            )
        if abs(price - line.price_unit) > line.price_unit * PRICE_TOLERANCE and not overridden:
            raise PurchasingError(
                PurchasingErrorCode.PRICE_MISMATCH,
                f"{line.name!r} was ordered at {line.price_unit.normalize():f}; a price off by "
                "more than 1 % needs the match overridden with a reason.",
                field=[*field, "price_unit"],
            )
        result.append((line, entry.quantity, price))
    return result
