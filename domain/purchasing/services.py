"""Purchasing use cases: vendor prices, requests for quotation, the order workflow and
receipts. Bills from orders live in `billing`.

Confirming an order asks inventory for its receipt with the order as the picking's origin and
each line as its move's; inventory answers with `PickingDone` (see `handlers`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypedDict

from sqlalchemy import insert, or_, select

from domain.catalog.models import InvoicePolicy, Product, ProductType, Tax, TaxUse
from domain.catalog.pricing import Pricer, load_pricer
from domain.catalog.services import invoice_policies, load_purchase_taxes
from domain.core.db import utcnow
from domain.core.errors import DomainError
from domain.core.models import Company, Currency, Uom
from domain.core.origins import Origin
from domain.core.records import get_owned
from domain.core.services import (
    Conversion,
    conversion,
    currency_rate,
    ensure_currency,
    next_sequence_number,
)
from domain.core.uow import UnitOfWork
from domain.core.workflow import Workflow
from domain.inventory import services as inventory
from domain.inventory.models import Warehouse
from domain.inventory.warehouses import default_warehouse
from domain.partners.models import Partner
from domain.purchasing.errors import PurchasingError, PurchasingErrorCode
from domain.purchasing.events import PurchaseOrderCancelled, PurchaseOrderConfirmed
from domain.purchasing.models import (
    PURCHASE_LINE,
    PURCHASE_ORDER,
    BillStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderState,
    ReceiptStatus,
    VendorPrice,
    purchase_order_line_tax,
)

ZERO = Decimal(0)
S = PurchaseOrderState
ORDER_WORKFLOW: Workflow[PurchaseOrderState] = Workflow(
    {
        S.DRAFT: frozenset({S.SENT, S.PURCHASE, S.CANCEL}),
        S.SENT: frozenset({S.PURCHASE, S.CANCEL}),
        S.PURCHASE: frozenset({S.DONE, S.CANCEL}),
        S.DONE: frozenset(),
        S.CANCEL: frozenset({S.DRAFT}),
    },
    lambda current, target: PurchasingError(
        PurchasingErrorCode.INVALID_TRANSITION,
        f"A purchase order cannot go from {current.value} to {target.value}.",
    ),
)
#: States in which lines and prices may still change.
EDITABLE = frozenset({S.DRAFT, S.SENT})
#: States whose lines are received and billed.
CONFIRMED = frozenset({S.PURCHASE, S.DONE})


# Vendor prices --------------------------------------------------------------------------


class VendorPriceValues(TypedDict, total=False):
    """A vendor's price of a product as the caller gives it."""

    product_id: int
    partner_id: int
    price: Decimal
    #: ISO code; the company's currency by default.
    currency: str
    min_quantity: Decimal
    lead_days: int
    vendor_code: str | None
    date_start: dt.date | None
    date_end: dt.date | None


async def create_vendor_price(
    uow: UnitOfWork, company_id: int, values: VendorPriceValues
) -> VendorPrice:
    for key in ("product_id", "partner_id", "price"):
        if values.get(key) is None:
            raise PurchasingError(
                PurchasingErrorCode.REQUIRED, "A vendor price needs this.", field=[key]
            )
    if "currency" not in values:
        company = await uow.session.get(Company, company_id)
        assert company is not None
        currency_id = company.currency_id
    else:
        currency_id = (await _currency(uow, values["currency"])).id
    price = VendorPrice(company_id=company_id, currency_id=currency_id)
    await _apply_vendor_price(uow, price, values)
    uow.session.add(price)
    await uow.session.flush()
    return price


async def update_vendor_price(
    uow: UnitOfWork, company_id: int, price_id: int, values: VendorPriceValues
) -> VendorPrice:
    price = await _get_vendor_price(uow, company_id, price_id)
    if values.get("currency") is not None:
        price.currency_id = (await _currency(uow, values["currency"])).id
    await _apply_vendor_price(uow, price, values)
    await uow.session.flush()
    return price


async def delete_vendor_price(uow: UnitOfWork, company_id: int, price_id: int) -> VendorPrice:
    price = await _get_vendor_price(uow, company_id, price_id)
    await uow.session.delete(price)
    await uow.session.flush()
    return price


async def _get_vendor_price(uow: UnitOfWork, company_id: int, price_id: int) -> VendorPrice:
    price = await get_owned(uow.session, VendorPrice, price_id, company_id, lock=True)
    if price is None:
        raise PurchasingError(PurchasingErrorCode.NOT_FOUND, "No such vendor price.", field=["id"])
    return price


async def _currency(uow: UnitOfWork, code: str) -> Currency:
    try:
        return await ensure_currency(uow, code)
    except DomainError as error:
        raise PurchasingError(
            PurchasingErrorCode.CURRENCY, error.message, field=["currency"]
        ) from None


async def _apply_vendor_price(
    uow: UnitOfWork, price: VendorPrice, values: VendorPriceValues
) -> None:
    if values.get("product_id") is not None:
        product = await get_owned(uow.session, Product, values["product_id"], price.company_id)
        if product is None:
            raise PurchasingError(
                PurchasingErrorCode.NOT_FOUND, "No such product.", field=["product_id"]
            )
        price.product_id = product.id
    if values.get("partner_id") is not None:
        partner = await _get_partner(uow, price.company_id, values["partner_id"])
        price.partner_id = partner.id
    for key in ("price", "min_quantity", "lead_days"):
        value: Any = values.get(key)
        if value is not None:
            if value < 0:
                raise PurchasingError(
                    PurchasingErrorCode.INVALID, "This cannot be negative.", field=[key]
                )
            setattr(price, key, value)
    for key in ("vendor_code", "date_start", "date_end"):
        if key in values:
            setattr(price, key, values[key])  # type: ignore[literal-required]
    if price.vendor_code is not None:
        price.vendor_code = price.vendor_code.strip() or None
    if price.date_start and price.date_end and price.date_end < price.date_start:
        raise PurchasingError(
            PurchasingErrorCode.INVALID,
            "A vendor price cannot end before it starts.",
            field=["date_end"],
        )


@dataclass(frozen=True)
class Quote:
    """The vendor price chosen for a product: who, at what price per purchase unit (in the
    price's currency and in the company's), and how long delivery takes."""

    price: VendorPrice
    company_price: Decimal


async def best_vendor_prices(
    uow: UnitOfWork,
    company_id: int,
    quantities: Mapping[int, Decimal],
    date: dt.date,
    *,
    partner_id: int | None = None,
) -> dict[int, Quote]:
    """For each product of `quantities` (in its purchase unit), the cheapest vendor price
    valid on `date` whose minimum that quantity reaches, in the company's currency; ties go
    to the shortest lead time. Only `partner_id`'s prices when given. One statement for the
    prices, one per foreign currency among them."""
    if not quantities:
        return {}
    query = select(VendorPrice).where(
        VendorPrice.company_id == company_id,
        VendorPrice.product_id.in_(list(quantities)),
        or_(VendorPrice.date_start.is_(None), VendorPrice.date_start <= date),
        or_(VendorPrice.date_end.is_(None), VendorPrice.date_end >= date),
    )
    if partner_id is not None:
        query = query.where(VendorPrice.partner_id == partner_id)
    candidates = [
        price
        for price in await uow.session.scalars(query)
        if price.min_quantity <= quantities[price.product_id]
    ]
    rates: dict[int, Decimal | None] = {}
    best: dict[int, tuple[tuple[Decimal, int, int], Quote]] = {}
    for price in candidates:
        if price.currency_id not in rates:
            rates[price.currency_id] = await currency_rate(uow, company_id, price.currency_id, date)
        rate = rates[price.currency_id]
        if rate is None:  # a currency without a rate cannot be compared
            continue
        in_company = price.price * rate
        rank = (in_company, price.lead_days, price.id)
        current = best.get(price.product_id)
        if current is None or rank < current[0]:
            best[price.product_id] = (rank, Quote(price, in_company))
    return {product_id: quote for product_id, (_, quote) in best.items()}


# Requests for quotation and orders ------------------------------------------------------


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
    """Header fields of a request for quotation."""

    partner_id: int
    warehouse_id: int
    date_order: dt.datetime
    date_planned: dt.datetime
    partner_ref: str | None
    note: str | None


async def get_order(
    uow: UnitOfWork, company_id: int, order_id: int, *, lock: bool = False
) -> PurchaseOrder:
    order = await get_owned(uow.session, PurchaseOrder, order_id, company_id, lock=lock)
    if order is None:
        raise PurchasingError(
            PurchasingErrorCode.NOT_FOUND, "No such purchase order.", field=["id"]
        )
    return order


async def order_lines(uow: UnitOfWork, order_ids: Sequence[int]) -> list[PurchaseOrderLine]:
    """The lines of the orders, in order."""
    rows = await uow.session.scalars(
        select(PurchaseOrderLine)
        .where(PurchaseOrderLine.order_id.in_(order_ids))
        .order_by(PurchaseOrderLine.order_id, PurchaseOrderLine.sequence, PurchaseOrderLine.id)
    )
    return list(rows)


async def create_purchase_order(
    uow: UnitOfWork,
    company_id: int,
    values: OrderValues,
    lines: Sequence[LineValues] = (),
    *,
    currency: str | None = None,
) -> PurchaseOrder:
    """A draft request for quotation numbered from the company's `purchase.order` sequence
    (P00001, ...), in `currency` (the company's by default), received into `warehouse_id`
    (the company's first warehouse by default)."""
    if values.get("partner_id") is None:
        raise PurchasingError(
            PurchasingErrorCode.REQUIRED,
            "A request for quotation needs a vendor.",
            field=["partner_id"],
        )
    company = await uow.session.get(Company, company_id)
    assert company is not None
    now = utcnow()
    order = PurchaseOrder(
        company_id=company_id,
        currency_id=company.currency_id,
        state=S.DRAFT,
        date_order=now,
        date_planned=now,
        receipt_status=ReceiptStatus.NOTHING,
        bill_status=BillStatus.NOTHING,
    )
    await _apply_header(uow, order, values)
    if "date_planned" not in values:
        order.date_planned = order.date_order
    if currency is not None:
        priced_in = await _conversion(uow, company_id, currency, order.date_order.date())
        order.currency_id = priced_in.currency.id
    order.name = await next_sequence_number(uow, company_id, "purchase.order", prefix="P")
    uow.session.add(order)
    await uow.session.flush()
    if lines:
        await _add_lines(uow, order, lines)
    return order


async def add_lines(
    uow: UnitOfWork, company_id: int, order_id: int, lines: Sequence[LineValues]
) -> PurchaseOrder:
    order = await get_order(uow, company_id, order_id, lock=True)
    _check_editable(order)
    if not lines:
        raise PurchasingError(
            PurchasingErrorCode.REQUIRED, "Give at least one line.", field=["lines"]
        )
    await _add_lines(uow, order, lines)
    return order


async def send_purchase_order(uow: UnitOfWork, company_id: int, order_id: int) -> PurchaseOrder:
    """Mark the request for quotation as sent to the vendor."""
    order = await get_order(uow, company_id, order_id, lock=True)
    order.state = ORDER_WORKFLOW.check(order.state, S.SENT)
    await uow.session.flush()
    return order


async def confirm_purchase_order(uow: UnitOfWork, company_id: int, order_id: int) -> PurchaseOrder:
    """Turn the request into an order and ask inventory for its receipt: moves from the
    vendors' location, each made for its line and valued at the line's price in the company
    currency per product unit; billing follows each product's policy."""
    order = await get_order(uow, company_id, order_id, lock=True)
    state = ORDER_WORKFLOW.check(order.state, S.PURCHASE)
    lines = await order_lines(uow, [order.id])
    if not lines:
        raise PurchasingError(
            PurchasingErrorCode.NO_LINES, "An order without lines cannot be confirmed."
        )
    products = await _products(uow, lines)
    with uow.session.no_autoflush:
        order.state = state
        order.confirmed_at = utcnow()
        set_bill_quantities(order, lines, products)
        goods = any(kind is not ProductType.SERVICE for _, kind in products.values())
        order.receipt_status = ReceiptStatus.PENDING if goods else ReceiptStatus.NOTHING
    await uow.session.flush()
    costs = await _unit_costs(uow, order, lines)
    await inventory.create_receipt(
        uow,
        order.company_id,
        warehouse_id=order.warehouse_id,
        origin=Origin(PURCHASE_ORDER, order.id),
        origin_name=order.name,
        partner_id=order.partner_id,
        scheduled_date=order.date_planned,
        lines=[
            inventory.DeliveryLine(
                origin=Origin(PURCHASE_LINE, line.id),
                product_id=line.product_id,
                quantity=line.quantity,
                uom_id=line.uom_id,
                name=line.name,
                price_unit=costs[line.id],
            )
            for line in lines
        ],
    )
    await uow.publish(
        PurchaseOrderConfirmed(
            company_id=order.company_id,
            order_id=order.id,
            name=order.name,
            partner_id=order.partner_id,
        )
    )
    return order


async def cancel_purchase_order(uow: UnitOfWork, company_id: int, order_id: int) -> PurchaseOrder:
    """Cancel a request, or an order nothing of which was received or billed yet: its open
    receipts are cancelled."""
    order = await get_order(uow, company_id, order_id, lock=True)
    if order.receipt_status in (ReceiptStatus.PARTIAL, ReceiptStatus.FULL):
        raise PurchasingError(
            PurchasingErrorCode.ALREADY_RECEIVED,
            f"Goods of {order.name} were received; return them instead of cancelling.",
        )
    lines = await order_lines(uow, [order.id])
    if any(line.qty_billed for line in lines):
        raise PurchasingError(
            PurchasingErrorCode.INVALID_TRANSITION,
            f"{order.name} is billed; credit its bills before cancelling it.",
        )
    was_confirmed = order.state is S.PURCHASE
    order.state = ORDER_WORKFLOW.check(order.state, S.CANCEL)
    set_bill_quantities(order, lines, await _products(uow, lines))
    order.receipt_status = ReceiptStatus.NOTHING
    await uow.session.flush()
    if was_confirmed:
        await inventory.cancel_pickings_of(uow, order.company_id, Origin(PURCHASE_ORDER, order.id))
        await uow.publish(PurchaseOrderCancelled(company_id=order.company_id, order_id=order.id))
    return order


async def lock_purchase_order(uow: UnitOfWork, company_id: int, order_id: int) -> PurchaseOrder:
    """`purchase → done`: no more changes."""
    order = await get_order(uow, company_id, order_id, lock=True)
    order.state = ORDER_WORKFLOW.check(order.state, S.DONE)
    await uow.session.flush()
    return order


async def reset_to_draft(uow: UnitOfWork, company_id: int, order_id: int) -> PurchaseOrder:
    """Revive a cancelled request or order as a draft."""
    order = await get_order(uow, company_id, order_id, lock=True)
    order.state = ORDER_WORKFLOW.check(order.state, S.DRAFT)
    order.confirmed_at = None
    await uow.session.flush()
    return order


# Quantities received and billed ---------------------------------------------------------


async def _products(
    uow: UnitOfWork, lines: Sequence[PurchaseOrderLine]
) -> dict[int, tuple[InvoicePolicy, ProductType]]:
    """The control policy and type of the lines' products."""
    return await invoice_policies(uow, (line.product_id for line in lines))


async def refresh_bill_quantities(
    uow: UnitOfWork, orders: Sequence[PurchaseOrder], lines: Sequence[PurchaseOrderLine]
) -> None:
    """Each line's `qty_to_bill` from its product's control policy, and each order's bill
    status from its lines."""
    products = await _products(uow, lines)
    for order in orders:
        set_bill_quantities(order, [line for line in lines if line.order_id == order.id], products)


def set_bill_quantities(
    order: PurchaseOrder,
    lines: Sequence[PurchaseOrderLine],
    products: Mapping[int, tuple[InvoicePolicy, ProductType]],
) -> None:
    """The control policy is the product's invoice policy: `ordered` bills what was ordered,
    `delivered` what was received; less what was billed, once the order is confirmed."""
    confirmed = order.state in CONFIRMED
    for line in lines:
        if not confirmed:
            line.qty_to_bill = ZERO
        elif products[line.product_id][0] is InvoicePolicy.DELIVERED:
            line.qty_to_bill = line.qty_received - line.qty_billed
        else:
            line.qty_to_bill = line.quantity - line.qty_billed
    if not confirmed:
        order.bill_status = BillStatus.NOTHING
    elif any(line.qty_to_bill > 0 for line in lines):
        order.bill_status = BillStatus.TO_BILL
    elif lines and all(line.qty_billed >= line.quantity for line in lines):
        order.bill_status = BillStatus.BILLED
    else:
        order.bill_status = BillStatus.NOTHING


async def _unit_costs(
    uow: UnitOfWork, order: PurchaseOrder, lines: Sequence[PurchaseOrderLine]
) -> dict[int, Decimal]:
    """Each line's untaxed price after discount, per product unit, in the company currency
    at the order date's rate: what its received goods are valued at."""
    priced_in = await _order_conversion(uow, order)
    products = {
        product.id: product
        for product in await uow.session.scalars(
            select(Product).where(Product.id.in_({line.product_id for line in lines}))
        )
    }
    uom_ids = {line.uom_id for line in lines} | {p.uom_id for p in products.values()}
    uoms = {
        uom.id: uom for uom in await uow.session.scalars(select(Uom).where(Uom.id.in_(uom_ids)))
    }
    costs = {}
    for line in lines:
        per_line_unit = line.price_subtotal / line.quantity
        per_product_unit = (
            per_line_unit * uoms[products[line.product_id].uom_id].ratio / uoms[line.uom_id].ratio
        )
        costs[line.id] = (per_product_unit * priced_in.rate).quantize(Decimal("0.000001"))
    return costs


# Lines and amounts ----------------------------------------------------------------------


async def line_taxes(uow: UnitOfWork, line_ids: Sequence[int]) -> dict[int, list[int]]:
    """The tax IDs of each line."""
    found: dict[int, list[int]] = {line_id: [] for line_id in line_ids}
    for line_id, tax_id in await uow.session.execute(
        select(purchase_order_line_tax.c.line_id, purchase_order_line_tax.c.tax_id).where(
            purchase_order_line_tax.c.line_id.in_(list(line_ids))
        )
    ):
        found[line_id].append(tax_id)
    return found


def _check_editable(order: PurchaseOrder) -> None:
    if order.state not in EDITABLE:
        raise PurchasingError(
            PurchasingErrorCode.NOT_EDITABLE,
            f"Order {order.name} is {order.state.value}; only requests can be changed.",
        )


async def _get_partner(uow: UnitOfWork, company_id: int, partner_id: int) -> Partner:
    partner = await get_owned(uow.session, Partner, partner_id, company_id)
    if partner is None:
        raise PurchasingError(
            PurchasingErrorCode.NOT_FOUND, "No such partner.", field=["partner_id"]
        )
    return partner


async def _apply_header(uow: UnitOfWork, order: PurchaseOrder, values: OrderValues) -> None:
    if values.get("partner_id") is not None:
        order.partner_id = (await _get_partner(uow, order.company_id, values["partner_id"])).id
    if values.get("warehouse_id") is not None:
        warehouse = await get_owned(
            uow.session, Warehouse, values["warehouse_id"], order.company_id
        )
        if warehouse is None:
            raise PurchasingError(
                PurchasingErrorCode.NOT_FOUND, "No such warehouse.", field=["warehouse_id"]
            )
        order.warehouse_id = warehouse.id
    elif order.warehouse_id is None:
        order.warehouse_id = (await default_warehouse(uow, order.company_id)).id
    for key in ("date_order", "date_planned", "partner_ref", "note"):
        if key in values:
            setattr(order, key, values[key])
    if order.date_planned < order.date_order:
        raise PurchasingError(
            PurchasingErrorCode.INVALID,
            "The goods cannot be expected before the order date.",
            field=["date_planned"],
        )


async def _conversion(
    uow: UnitOfWork, company_id: int, currency: str | None, date: dt.date
) -> Conversion:
    try:
        return await conversion(uow, company_id, currency, date)
    except DomainError as error:
        raise PurchasingError(
            PurchasingErrorCode.CURRENCY, error.message, field=["currency"]
        ) from None


async def _order_conversion(uow: UnitOfWork, order: PurchaseOrder) -> Conversion:
    currency = await uow.session.get(Currency, order.currency_id)
    assert currency is not None
    return await _conversion(uow, order.company_id, currency.code, order.date_order.date())


async def _pricer(uow: UnitOfWork, order: PurchaseOrder, product_ids: Sequence[Any]) -> Pricer:
    """A pricer of the order's lines: in its currency at the order date's rate."""
    priced_in = await _order_conversion(uow, order)
    return await load_pricer(uow, order.company_id, priced_in, TaxUse.PURCHASE, product_ids)


async def _add_lines(
    uow: UnitOfWork, order: PurchaseOrder, lines: Sequence[LineValues]
) -> list[PurchaseOrderLine]:
    """New lines priced by the order's vendor price for their quantity (else the product's
    cost), with the products' purchase taxes unless given; then the order's totals."""
    pricer = await _pricer(uow, order, [values.get("product_id") for values in lines])
    checked: list[tuple[Product, Uom, LineValues]] = []
    for position, values in enumerate(lines):
        try:
            product = pricer.product(values.get("product_id"))
            checked.append((product, pricer.unit(product, values.get("uom_id")), values))
        except DomainError as error:
            raise error.at("lines", str(position)) from None
    quotes = await best_vendor_prices(
        uow,
        order.company_id,
        _purchase_quantities(pricer, checked),
        order.date_order.date(),
        partner_id=order.partner_id,
    )
    priced: list[tuple[PurchaseOrderLine, list[Tax]]] = []
    for position, (product, uom, values) in enumerate(checked):
        line = PurchaseOrderLine(
            order_id=order.id, sequence=values.get("sequence", 10 * (position + 1))
        )
        try:
            taxes = await _fill_line(uow, pricer, order, line, (product, uom, values), quotes)
        except DomainError as error:
            raise error.at("lines", str(position)) from None
        priced.append((line, taxes))
    uow.session.add_all([line for line, _ in priced])
    await uow.session.flush()
    links = [{"line_id": line.id, "tax_id": tax.id} for line, taxes in priced for tax in taxes]
    if links:
        await uow.session.execute(insert(purchase_order_line_tax), links)
    await _recompute_totals(uow, order)
    return [line for line, _ in priced]


def _purchase_quantities(
    pricer: Pricer, checked: Sequence[tuple[Product, Uom, LineValues]]
) -> dict[int, Decimal]:
    """Each product's largest line quantity in its purchase unit: what its vendor price's
    minimum is compared with."""
    quantities: dict[int, Decimal] = {}
    for product, uom, values in checked:
        quantity = values.get("quantity") or ZERO
        in_purchase = quantity * uom.ratio / pricer.uoms[product.purchase_uom_id].ratio
        quantities[product.id] = max(quantities.get(product.id, ZERO), in_purchase)
    return quantities


async def _fill_line(
    uow: UnitOfWork,
    pricer: Pricer,
    order: PurchaseOrder,
    line: PurchaseOrderLine,
    checked: tuple[Product, Uom, LineValues],
    quotes: Mapping[int, Quote],
) -> list[Tax]:
    """Set a line from its values, its price defaulting to the vendor's, and return its
    taxes: `tax_ids` when given, else the product's purchase taxes."""
    product, uom, values = checked
    tax_ids = values.get("tax_ids")
    if tax_ids is not None:
        try:
            taxes = await load_purchase_taxes(uow, order.company_id, tax_ids)
        except DomainError as error:
            raise PurchasingError(
                PurchasingErrorCode.INVALID_TAX, error.message, field=["tax_ids"]
            ) from None
    else:
        taxes = pricer.taxes(product)
    price_unit = values.get("price_unit")
    quote = quotes.get(product.id)
    if price_unit is None and quote is not None:
        # Per purchase unit in the company currency, to the line's unit and currency.
        per_unit = quote.company_price * uom.ratio / pricer.uoms[product.purchase_uom_id].ratio
        price_unit = pricer.conversion.from_company(per_unit)
    priced = pricer.price(
        product=product,
        uom=uom,
        quantity=values.get("quantity"),
        price_unit=price_unit,
        discount=values.get("discount"),
        taxes=taxes,
    )
    line.product_id = product.id
    line.quantity = priced.quantity
    line.uom_id = uom.id
    line.price_unit = priced.price_unit
    line.discount = priced.discount
    name = (values.get("name") or "").strip()
    if not name and quote is not None and quote.price.vendor_code:
        name = f"[{quote.price.vendor_code}] {product.name}"
    line.name = name or product.name
    line.price_subtotal, line.price_tax, line.price_total = (
        priced.amounts.subtotal,
        priced.amounts.tax,
        priced.amounts.total,
    )
    return taxes


async def _recompute_totals(uow: UnitOfWork, order: PurchaseOrder) -> None:
    """Order totals are the sums of the lines' rounded amounts."""
    await uow.session.flush()
    lines = await order_lines(uow, [order.id])
    order.amount_untaxed = sum((line.price_subtotal for line in lines), ZERO)
    order.amount_tax = sum((line.price_tax for line in lines), ZERO)
    order.amount_total = sum((line.price_total for line in lines), ZERO)
    await uow.session.flush()
