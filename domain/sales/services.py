"""Sales use cases: quotations, their lines and amounts, and the order workflow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypedDict

from sqlalchemy import delete, insert, select

from domain.catalog.models import InvoicePolicy, ProductType, Tax, TaxUse
from domain.catalog.pricing import Pricer, load_pricer
from domain.catalog.services import invoice_policies, load_sale_taxes
from domain.core.db import utcnow
from domain.core.errors import DomainError
from domain.core.models import Company, Currency
from domain.core.origins import Origin
from domain.core.records import get_owned
from domain.core.services import conversion, next_sequence_number
from domain.core.uow import UnitOfWork
from domain.core.workflow import Workflow
from domain.inventory import services as inventory
from domain.partners.models import AddressType, Partner
from domain.sales.errors import SalesError, SalesErrorCode
from domain.sales.events import ConfirmedLine, SaleOrderCancelled, SaleOrderConfirmed
from domain.sales.models import (
    SALE_LINE,
    SALE_ORDER,
    DeliveryStatus,
    InvoiceStatus,
    SaleOrder,
    SaleOrderLine,
    SaleOrderState,
    sale_order_line_tax,
)

S = SaleOrderState
ORDER_WORKFLOW: Workflow[SaleOrderState] = Workflow(
    {
        S.DRAFT: frozenset({S.SENT, S.SALE, S.CANCEL}),
        S.SENT: frozenset({S.SALE, S.CANCEL}),
        S.SALE: frozenset({S.DONE, S.CANCEL}),
        S.DONE: frozenset({S.SALE}),
        S.CANCEL: frozenset({S.DRAFT}),
    },
    lambda current, target: SalesError(
        SalesErrorCode.INVALID_TRANSITION,
        f"A sales order cannot go from {current.value} to {target.value}.",
    ),
)
#: States in which lines and prices may still change.
EDITABLE = frozenset({S.DRAFT, S.SENT})


class LineValues(TypedDict, total=False):
    """A line as the caller gives it; everything but product and quantity has a default."""

    product_id: int
    quantity: Decimal
    name: str
    uom_id: int
    price_unit: Decimal
    discount: Decimal
    tax_ids: list[int]
    sequence: int


class OrderValues(TypedDict, total=False):
    """Header fields of a quotation."""

    partner_id: int
    partner_invoice_id: int
    partner_shipping_id: int
    pricelist_id: int | None
    date_order: dt.datetime
    validity_date: dt.date | None
    client_order_ref: str | None
    note: str | None


async def get_order(
    uow: UnitOfWork, company_id: int, order_id: int, *, lock: bool = False
) -> SaleOrder:
    order = await get_owned(uow.session, SaleOrder, order_id, company_id, lock=lock)
    if order is None:
        raise SalesError(SalesErrorCode.NOT_FOUND, "No such sales order.", field=["id"])
    return order


async def order_lines(uow: UnitOfWork, order_id: int) -> list[SaleOrderLine]:
    rows = await uow.session.scalars(
        select(SaleOrderLine)
        .where(SaleOrderLine.order_id == order_id)
        .order_by(SaleOrderLine.sequence, SaleOrderLine.id)
    )
    return list(rows)


async def create_sale_order(
    uow: UnitOfWork,
    company_id: int,
    values: OrderValues,
    lines: Sequence[LineValues] = (),
    *,
    currency: str | None = None,
) -> SaleOrder:
    """A draft quotation numbered from the company's `sale.order` sequence, in `currency`
    (ISO code; the company's by default): product prices convert at the order date's rate."""
    if values.get("partner_id") is None:
        raise SalesError(
            SalesErrorCode.REQUIRED, "A quotation needs a customer.", field=["partner_id"]
        )
    company = await uow.session.get(Company, company_id)
    if company is None:
        raise SalesError(SalesErrorCode.NOT_FOUND, "No such company.")
    order = SaleOrder(
        company_id=company_id,
        currency_id=company.currency_id,
        state=S.DRAFT,
        date_order=utcnow(),
    )
    await _apply_header(uow, order, values)
    if currency is not None:
        priced_in = await conversion(uow, company_id, currency, order.date_order.date())
        order.currency_id = priced_in.currency.id
    order.name = await next_sequence_number(uow, company_id, "sale.order", prefix="S")
    uow.session.add(order)
    await uow.session.flush()
    new_lines = await _add_lines(uow, order, lines)
    await _recompute_totals(uow, order, new_lines)
    return order


async def update_sale_order(
    uow: UnitOfWork, company_id: int, order_id: int, values: OrderValues
) -> SaleOrder:
    order = await get_order(uow, company_id, order_id, lock=True)
    _check_editable(order)
    await _apply_header(uow, order, values)
    await uow.session.flush()
    return order


async def add_lines(
    uow: UnitOfWork, company_id: int, order_id: int, lines: Sequence[LineValues]
) -> SaleOrder:
    order = await get_order(uow, company_id, order_id, lock=True)
    _check_editable(order)
    if not lines:
        raise SalesError(SalesErrorCode.REQUIRED, "Give at least one line.", field=["lines"])
    await _add_lines(uow, order, lines)
    await _recompute_totals(uow, order, await order_lines(uow, order.id))
    return order


async def update_line(
    uow: UnitOfWork, company_id: int, line_id: int, values: LineValues
) -> SaleOrder:
    line, order = await _get_line(uow, company_id, line_id)
    _check_editable(order)
    product_id = values.get("product_id", line.product_id)
    merged: LineValues = {
        "product_id": product_id,
        "quantity": line.quantity,
        "discount": line.discount,
        "sequence": line.sequence,
    }
    product_changed = product_id != line.product_id
    if not product_changed:
        # A new product brings its own description, unit, price and taxes unless given.
        merged.update({"name": line.name, "uom_id": line.uom_id, "price_unit": line.price_unit})
    merged.update(values)
    pricer = await _pricer(uow, order, [product_id])
    taxes = None if product_changed else await line_taxes(uow, line.id)
    taxes = await _fill_line(uow, pricer, order, line, merged, taxes)
    await _save_lines(uow, [(line, taxes)], new=False)
    await _recompute_totals(uow, order, await order_lines(uow, order.id))
    return order


async def delete_line(uow: UnitOfWork, company_id: int, line_id: int) -> SaleOrder:
    line, order = await _get_line(uow, company_id, line_id)
    _check_editable(order)
    await uow.session.delete(line)
    await uow.session.flush()
    await _recompute_totals(uow, order, await order_lines(uow, order.id))
    return order


async def send_quotation(uow: UnitOfWork, company_id: int, order_id: int) -> SaleOrder:
    """Mark the quotation as sent to the customer."""
    order = await get_order(uow, company_id, order_id, lock=True)
    order.state = ORDER_WORKFLOW.check(order.state, S.SENT)
    await uow.session.flush()
    return order


async def confirm_sale_order(uow: UnitOfWork, company_id: int, order_id: int) -> SaleOrder:
    """Turn the quotation into an order and ask inventory for its delivery, reserved from
    stock as far as it goes; invoicing follows the lines' invoice policy."""
    order = await get_order(uow, company_id, order_id, lock=True)
    state = ORDER_WORKFLOW.check(order.state, S.SALE)
    lines = await order_lines(uow, order.id)
    if not lines:
        raise SalesError(SalesErrorCode.NO_LINES, "An order without lines cannot be confirmed.")
    # One write of the order and its lines once everything is known.
    with uow.session.no_autoflush:
        products = await _products(uow, lines)
        order.state = state
        order.confirmed_at = utcnow()
        _set_invoice_quantities(order, lines, products)
        goods = any(kind is not ProductType.SERVICE for _, kind in products.values())
        order.delivery_status = DeliveryStatus.PENDING if goods else DeliveryStatus.NOTHING
    await uow.session.flush()
    await inventory.create_delivery(
        uow,
        order.company_id,
        origin=Origin(SALE_ORDER, order.id),
        origin_name=order.name,
        partner_id=order.partner_shipping_id,
        scheduled_date=order.confirmed_at,
        lines=[
            inventory.DeliveryLine(
                origin=Origin(SALE_LINE, line.id),
                product_id=line.product_id,
                quantity=line.quantity,
                uom_id=line.uom_id,
                name=line.name,
            )
            for line in lines
        ],
    )
    await uow.publish(
        SaleOrderConfirmed(
            company_id=order.company_id,
            order_id=order.id,
            name=order.name,
            partner_shipping_id=order.partner_shipping_id,
            confirmed_at=order.confirmed_at,
            lines=tuple(
                ConfirmedLine(
                    sale_line_id=line.id,
                    product_id=line.product_id,
                    quantity=line.quantity,
                    uom_id=line.uom_id,
                    name=line.name,
                )
                for line in lines
            ),
        )
    )
    uow.enqueue(
        "sale_order.confirmed",
        {"order_id": order.id, "name": order.name},
        company_id=order.company_id,
    )
    return order


async def cancel_sale_order(uow: UnitOfWork, company_id: int, order_id: int) -> SaleOrder:
    """Cancel a quotation, or an order nothing of which was delivered yet: its open deliveries
    are cancelled and their reservations released."""
    order = await get_order(uow, company_id, order_id, lock=True)
    if order.delivery_status in (DeliveryStatus.PARTIAL, DeliveryStatus.FULL):
        raise SalesError(
            SalesErrorCode.ALREADY_DELIVERED,
            f"Goods of {order.name} were delivered; return them instead of cancelling.",
        )
    was_confirmed = order.state is S.SALE
    order.state = ORDER_WORKFLOW.check(order.state, S.CANCEL)
    lines = await order_lines(uow, order.id)
    await refresh_invoice_quantities(uow, order, lines)
    await uow.session.flush()
    if was_confirmed:
        await inventory.cancel_pickings_of(uow, order.company_id, Origin(SALE_ORDER, order.id))
        await uow.publish(SaleOrderCancelled(company_id=order.company_id, order_id=order.id))
    return order


async def lock_sale_order(uow: UnitOfWork, company_id: int, order_id: int) -> SaleOrder:
    """`sale → done`: no more changes; unlocking goes back to `sale`."""
    order = await get_order(uow, company_id, order_id, lock=True)
    order.state = ORDER_WORKFLOW.check(order.state, S.DONE)
    await uow.session.flush()
    return order


async def unlock_sale_order(uow: UnitOfWork, company_id: int, order_id: int) -> SaleOrder:
    order = await get_order(uow, company_id, order_id, lock=True)
    if order.state is not S.DONE:
        raise SalesError(SalesErrorCode.INVALID_TRANSITION, "Only a locked order can be unlocked.")
    order.state = ORDER_WORKFLOW.check(order.state, S.SALE)
    await uow.session.flush()
    return order


async def reset_to_draft(uow: UnitOfWork, company_id: int, order_id: int) -> SaleOrder:
    """Revive a cancelled quotation or order as a draft."""
    order = await get_order(uow, company_id, order_id, lock=True)
    order.state = ORDER_WORKFLOW.check(order.state, S.DRAFT)
    order.confirmed_at = None
    order.delivery_status = DeliveryStatus.NOTHING
    await uow.session.flush()
    return order


async def refresh_invoice_quantities(
    uow: UnitOfWork, order: SaleOrder, lines: Sequence[SaleOrderLine]
) -> None:
    """Set each line's `qty_to_invoice` from its product's invoice policy, and the order's
    invoice status from its lines."""
    _set_invoice_quantities(order, lines, await _products(uow, lines))


async def _products(
    uow: UnitOfWork, lines: Sequence[SaleOrderLine]
) -> dict[int, tuple[InvoicePolicy, ProductType]]:
    """The invoice policy and type of the lines' products."""
    return await invoice_policies(uow, (line.product_id for line in lines))


def _set_invoice_quantities(
    order: SaleOrder,
    lines: Sequence[SaleOrderLine],
    products: dict[int, tuple[InvoicePolicy, ProductType]],
) -> None:
    """`ordered`: what was ordered less what was invoiced; `delivered`: what was delivered
    less what was invoiced; nothing before confirmation or after cancellation."""
    confirmed = order.state in (S.SALE, S.DONE)
    for line in lines:
        policy = products[line.product_id][0]
        if not confirmed:
            line.qty_to_invoice = Decimal(0)
        elif policy is InvoicePolicy.DELIVERED:
            line.qty_to_invoice = line.qty_delivered - line.qty_invoiced
        else:
            line.qty_to_invoice = line.quantity - line.qty_invoiced
    order.invoice_status = (
        invoice_status([_line_status(line, products[line.product_id][0]) for line in lines])
        if confirmed
        else InvoiceStatus.NOTHING
    )


def _line_status(line: SaleOrderLine, policy: InvoicePolicy) -> InvoiceStatus:
    if line.qty_to_invoice != 0:
        return InvoiceStatus.TO_INVOICE
    if policy is InvoicePolicy.ORDERED and line.qty_delivered > line.quantity:
        return InvoiceStatus.UPSELLING
    if line.qty_invoiced >= line.quantity:
        return InvoiceStatus.INVOICED
    return InvoiceStatus.NOTHING


def invoice_status(lines: Sequence[InvoiceStatus]) -> InvoiceStatus:
    """Any line to invoice: to invoice; every line invoiced: invoiced; every line invoiced
    and some upselling: upselling; otherwise nothing."""
    found = set(lines)
    if InvoiceStatus.TO_INVOICE in found:
        return InvoiceStatus.TO_INVOICE
    if found == {InvoiceStatus.INVOICED}:
        return InvoiceStatus.INVOICED
    if found and found <= {InvoiceStatus.INVOICED, InvoiceStatus.UPSELLING}:
        return InvoiceStatus.UPSELLING
    return InvoiceStatus.NOTHING


async def line_taxes(uow: UnitOfWork, line_id: int) -> list[Tax]:
    rows = await uow.session.scalars(
        select(Tax)
        .join(sale_order_line_tax, sale_order_line_tax.c.tax_id == Tax.id)
        .where(sale_order_line_tax.c.line_id == line_id)
    )
    return list(rows)


def _check_editable(order: SaleOrder) -> None:
    if order.state not in EDITABLE:
        raise SalesError(
            SalesErrorCode.NOT_EDITABLE,
            f"Order {order.name} is {order.state.value}; only quotations can be changed.",
        )


async def _get_line(
    uow: UnitOfWork, company_id: int, line_id: int
) -> tuple[SaleOrderLine, SaleOrder]:
    line = await uow.session.get(SaleOrderLine, line_id)
    order = (
        await get_owned(uow.session, SaleOrder, line.order_id, company_id, lock=True)
        if line
        else None
    )
    if line is None or order is None:
        raise SalesError(SalesErrorCode.NOT_FOUND, "No such order line.", field=["id"])
    return line, order


async def _apply_header(uow: UnitOfWork, order: SaleOrder, values: OrderValues) -> None:
    if values.get("partner_id") is not None:
        partner = await _get_partner(uow, order.company_id, values["partner_id"], "partner_id")
        order.partner_id = partner.id
        order.partner_invoice_id = await _address(uow, partner, AddressType.INVOICE)
        order.partner_shipping_id = await _address(uow, partner, AddressType.DELIVERY)
    for key in ("partner_invoice_id", "partner_shipping_id"):
        if values.get(key) is not None:
            address = await _get_partner(uow, order.company_id, values[key], key)
            setattr(order, key, address.id)
    for key in ("date_order", "validity_date", "client_order_ref", "note", "pricelist_id"):
        if key in values:
            setattr(order, key, values[key])  # type: ignore[literal-required]
    if order.validity_date and order.validity_date < order.date_order.date():
        raise SalesError(
            SalesErrorCode.INVALID,
            "The quotation cannot expire before its date.",
            field=["validity_date"],
        )


async def _get_partner(uow: UnitOfWork, company_id: int, partner_id: int, field: str) -> Partner:
    partner = await get_owned(uow.session, Partner, partner_id, company_id)
    if partner is None:
        raise SalesError(SalesErrorCode.NOT_FOUND, "No such partner.", field=[field])
    return partner


async def _address(uow: UnitOfWork, partner: Partner, kind: AddressType) -> int:
    """The partner's (or its parent company's) address of `kind`, else the partner itself."""
    owner_ids = [partner.id] + ([partner.parent_id] if partner.parent_id else [])
    for owner_id in owner_ids:
        address = await uow.session.scalar(
            select(Partner.id)
            .where(
                Partner.parent_id == owner_id,
                Partner.address_type == kind,
                Partner.active.is_(True),
            )
            .order_by(Partner.id)
            .limit(1)
        )
        if address is not None:
            return address
    return partner.id


async def _pricer(uow: UnitOfWork, order: SaleOrder, product_ids: Sequence[Any]) -> Pricer:
    """A pricer of the order's lines: in its currency at the order date's rate."""
    currency = await uow.session.get(Currency, order.currency_id)
    assert currency is not None
    priced_in = await conversion(uow, order.company_id, currency.code, order.date_order.date())
    return await load_pricer(
        uow,
        order.company_id,
        priced_in,
        TaxUse.SALE,
        product_ids,
        pricelist_id=order.pricelist_id,
        day=order.date_order.date(),
    )


async def _add_lines(
    uow: UnitOfWork, order: SaleOrder, lines: Sequence[LineValues]
) -> list[SaleOrderLine]:
    pricer = await _pricer(uow, order, [values.get("product_id") for values in lines])
    priced: list[tuple[SaleOrderLine, list[Tax]]] = []
    for position, values in enumerate(lines):
        line = SaleOrderLine(
            order_id=order.id, sequence=values.get("sequence", 10 * (position + 1))
        )
        try:
            priced.append((line, await _fill_line(uow, pricer, order, line, values, None)))
        except DomainError as error:
            raise error.at("lines", str(position)) from None
    await _save_lines(uow, priced, new=True)
    return [line for line, _ in priced]


async def _fill_line(
    uow: UnitOfWork,
    pricer: Pricer,
    order: SaleOrder,
    line: SaleOrderLine,
    values: LineValues,
    taxes: list[Tax] | None,
) -> list[Tax]:
    """Set a line from `values`, defaulting from the product, compute its amounts, and return
    its taxes: `tax_ids` when given, else `taxes`, else the product's sales taxes."""
    product = pricer.product(values.get("product_id"))
    uom = pricer.unit(product, values.get("uom_id"))
    tax_ids = values.get("tax_ids")
    if tax_ids is not None:
        try:
            taxes = await load_sale_taxes(uow, order.company_id, tax_ids)
        except DomainError as error:
            raise SalesError(SalesErrorCode.INVALID_TAX, error.message, field=["tax_ids"]) from None
    elif taxes is None:
        taxes = pricer.taxes(product)
    priced = pricer.price(
        product=product,
        uom=uom,
        quantity=values.get("quantity"),
        price_unit=values.get("price_unit"),
        discount=values.get("discount"),
        taxes=taxes,
    )
    line.product_id = product.id
    line.quantity = priced.quantity
    line.uom_id = uom.id
    line.price_unit = priced.price_unit
    line.discount = priced.discount
    line.sequence = values.get("sequence", line.sequence)
    line.name = (values.get("name") or "").strip() or product.name
    line.price_subtotal, line.price_tax, line.price_total = (
        priced.amounts.subtotal,
        priced.amounts.tax,
        priced.amounts.total,
    )
    return taxes


async def _save_lines(
    uow: UnitOfWork, priced: Sequence[tuple[SaleOrderLine, list[Tax]]], *, new: bool
) -> None:
    """Write the lines in one flush and their taxes in one batch."""
    if new:
        uow.session.add_all([line for line, _ in priced])
    await uow.session.flush()
    if not new:
        await uow.session.execute(
            delete(sale_order_line_tax).where(
                sale_order_line_tax.c.line_id.in_([line.id for line, _ in priced])
            )
        )
    links = [{"line_id": line.id, "tax_id": tax.id} for line, taxes in priced for tax in taxes]
    if links:
        await uow.session.execute(insert(sale_order_line_tax), links)


async def _recompute_totals(
    uow: UnitOfWork, order: SaleOrder, lines: Sequence[SaleOrderLine]
) -> None:
    """Order totals are the sums of the lines' rounded amounts."""
    order.amount_untaxed = sum((line.price_subtotal for line in lines), Decimal(0))
    order.amount_tax = sum((line.price_tax for line in lines), Decimal(0))
    order.amount_total = sum((line.price_total for line in lines), Decimal(0))
    await uow.session.flush()
