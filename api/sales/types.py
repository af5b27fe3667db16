"""Sales orders and their lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from api.catalog.types import Product, Tax
from api.context import Info
from api.core.types import Currency, Money, Uom, money
from api.enums import graphql_enum
from api.errors import UserError
from api.nodes import ModelNode, quantity
from api.partners.types import Partner
from api.sales.enums import DeliveryStatus, InvoiceStatus, SaleOrderState
from api.sales.loaders import order_deliveries, order_invoices
from domain.catalog.models import Product as ProductModel
from domain.catalog.models import Tax as TaxModel
from domain.core.models import Currency as CurrencyModel
from domain.core.models import Uom as UomModel
from domain.partners.models import Partner as PartnerModel
from domain.sales import models
from domain.sales.errors import SalesErrorCode

if TYPE_CHECKING:
    from api.accounting.types import Invoice
    from api.inventory.types import Picking

graphql_enum(
    SalesErrorCode,
    "Why a sales change was refused.",
    {
        "NOT_EDITABLE": "Only quotations (draft or sent) can be changed.",
        "NO_LINES": "An order needs at least one line.",
        "INVALID_TAX": "A tax is not a sales tax of this company.",
        "ALREADY_DELIVERED": "Goods of the order were delivered; return them instead.",
        "NOTHING_TO_INVOICE": "The orders have nothing left to invoice.",
        "CURRENCY": "The currency is unknown, or has no rate on the order date.",
    },
)


@strawberry.type(description="A sales mutation refused its input.")
class SalesError(UserError):
    codes = SalesErrorCode
    code: SalesErrorCode = strawberry.field(description="Stable machine-readable reason.")


@strawberry.type(description="A line of a quotation or sales order.")
class SaleOrderLine(ModelNode):
    model = models.SaleOrderLine
    name: str = strawberry.field(description="Description shown on documents.")
    sequence: int = strawberry.field(description="Position on the order, smallest first.")
    discount: Decimal = strawberry.field(description="Discount in percent.")
    order_id: strawberry.Private[int]
    product_id: strawberry.Private[int]
    uom_id: strawberry.Private[int]

    @strawberry.field(description="Ordered quantity, in `uom`.")
    def quantity(self, root: strawberry.Parent[models.SaleOrderLine]) -> Decimal:
        return quantity(root.quantity)

    @strawberry.field(description="Quantity delivered so far, in `uom`.")
    def qty_delivered(self, root: strawberry.Parent[models.SaleOrderLine]) -> Decimal:
        return quantity(root.qty_delivered)

    @strawberry.field(description="Quantity invoiced so far, in `uom`.")
    def qty_invoiced(self, root: strawberry.Parent[models.SaleOrderLine]) -> Decimal:
        return quantity(root.qty_invoiced)

    @strawberry.field(
        description="Quantity ready to invoice: ordered (or, for products invoiced on "
        "delivery, delivered) less invoiced, once the order is confirmed."
    )
    def qty_to_invoice(self, root: strawberry.Parent[models.SaleOrderLine]) -> Decimal:
        return quantity(root.qty_to_invoice)

    @strawberry.field(description="The order the line belongs to.")
    async def order(self, info: Info) -> SaleOrder:
        return await info.context.loaders.one(models.SaleOrder, self.order_id)

    @strawberry.field(description="The product sold.")
    async def product(self, info: Info) -> Product:
        return await info.context.loaders.one(ProductModel, self.product_id)

    @strawberry.field(description="Unit of `quantity` and `priceUnit`.")
    async def uom(self, info: Info) -> Uom:
        return await info.context.loaders.one(UomModel, self.uom_id)

    @strawberry.field(description="Taxes applied to the line, in order of application.")
    async def taxes(self, info: Info) -> list[Tax]:
        loader = info.context.loaders.linked(
            models.sale_order_line_tax,
            "line_id",
            "tax_id",
            TaxModel,
            TaxModel.sequence,
            TaxModel.id,
        )
        return await loader.load(self.id)  # type: ignore[return-value]

    @strawberry.field(
        description="Price per unit, before discount; tax-included when its taxes are."
    )
    async def price_unit(self, info: Info, root: strawberry.Parent[models.SaleOrderLine]) -> Money:
        return await _order_money(info, root.price_unit, root.order_id)

    @strawberry.field(description="Amount without taxes, after discount, rounded.")
    async def price_subtotal(
        self, info: Info, root: strawberry.Parent[models.SaleOrderLine]
    ) -> Money:
        return await _order_money(info, root.price_subtotal, root.order_id)

    @strawberry.field(description="Taxes of the line, each rounded, summed.")
    async def price_tax(self, info: Info, root: strawberry.Parent[models.SaleOrderLine]) -> Money:
        return await _order_money(info, root.price_tax, root.order_id)

    @strawberry.field(description="Subtotal plus taxes.")
    async def price_total(self, info: Info, root: strawberry.Parent[models.SaleOrderLine]) -> Money:
        return await _order_money(info, root.price_total, root.order_id)


async def _order_money(info: Info, amount: Decimal, order_id: int) -> Money:
    order = await info.context.loaders.by_id(models.SaleOrder).load(order_id)
    assert order is not None
    return await money(info, amount, order.currency_id)


@strawberry.type(
    description="A quotation or a sales order: one record whose `state` tells which. "
    "Confirming it (`saleOrderConfirm`) makes it an order that drives delivery and invoicing."
)
class SaleOrder(ModelNode):
    model = models.SaleOrder
    name: str = strawberry.field(description="Business number, e.g. S00042.")
    state: SaleOrderState = strawberry.field(description="Where the order stands.")
    date_order: dt.datetime = strawberry.field(description="Quotation or order date.")
    validity_date: dt.date | None = strawberry.field(
        description="The quotation expires after this."
    )
    confirmed_at: dt.datetime | None = strawberry.field(description="When it was confirmed.")
    client_order_ref: str | None = strawberry.field(description="The customer's own reference.")
    note: str | None = strawberry.field(description="Terms and notes printed on the order.")
    delivery_status: DeliveryStatus = strawberry.field(
        description="How far its goods have gone out, from its deliveries' states."
    )
    invoice_status: InvoiceStatus = strawberry.field(
        description="How far it is invoiced, from its lines' quantities to invoice."
    )
    partner_id: strawberry.Private[int]
    partner_invoice_id: strawberry.Private[int]
    partner_shipping_id: strawberry.Private[int]
    currency_id: strawberry.Private[int]

    @strawberry.field(description="The customer.")
    async def partner(self, info: Info) -> Partner:
        return await info.context.loaders.one(PartnerModel, self.partner_id)

    @strawberry.field(description="Who is invoiced.")
    async def partner_invoice(self, info: Info) -> Partner:
        return await info.context.loaders.one(PartnerModel, self.partner_invoice_id)

    @strawberry.field(description="Where the goods go.")
    async def partner_shipping(self, info: Info) -> Partner:
        return await info.context.loaders.one(PartnerModel, self.partner_shipping_id)

    @strawberry.field(description="Currency of the prices and amounts.")
    async def currency(self, info: Info) -> Currency:
        return await info.context.loaders.one(CurrencyModel, self.currency_id)

    @strawberry.field(description="The lines, in order.")
    async def lines(self, info: Info) -> list[SaleOrderLine]:
        loader = info.context.loaders.by_parent(
            models.SaleOrderLine.order_id, models.SaleOrderLine.sequence, models.SaleOrderLine.id
        )
        return await loader.load(self.id)

    @strawberry.field(
        description="Its deliveries (and their backorders and returns), oldest first."
    )
    async def deliveries(
        self, info: Info
    ) -> list[Annotated[Picking, strawberry.lazy("api.inventory.types")]]:
        return await order_deliveries(info, self.id)  # type: ignore[return-value]

    @strawberry.field(description="Invoices and credit notes of its lines, oldest first.")
    async def invoices(
        self, info: Info
    ) -> list[Annotated[Invoice, strawberry.lazy("api.accounting.types")]]:
        return await order_invoices(info).load(self.id)  # type: ignore[return-value]

    @strawberry.field(description="Sum of the lines' subtotals.")
    async def amount_untaxed(self, info: Info, root: strawberry.Parent[models.SaleOrder]) -> Money:
        return await money(info, root.amount_untaxed, root.currency_id)

    @strawberry.field(description="Sum of the lines' taxes.")
    async def amount_tax(self, info: Info, root: strawberry.Parent[models.SaleOrder]) -> Money:
        return await money(info, root.amount_tax, root.currency_id)

    @strawberry.field(description="Untaxed amount plus taxes.")
    async def amount_total(self, info: Info, root: strawberry.Parent[models.SaleOrder]) -> Money:
        return await money(info, root.amount_total, root.currency_id)
