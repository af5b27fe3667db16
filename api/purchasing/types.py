"""Vendor prices, purchase orders and their lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from api.catalog.types import Product, Tax
from api.context import Info
from api.core.types import Currency, Money, Uom, money
from api.errors import UserError
from api.nodes import ModelNode, quantity
from api.partners.types import Partner
from api.purchasing.enums import (
    BillStatus,
    PurchaseOrderState,
    PurchasingErrorCode,
    ReceiptStatus,
    ReplenishmentRoute,
)
from api.purchasing.loaders import order_bills, order_receipts
from domain.catalog.models import Product as ProductModel
from domain.catalog.models import Tax as TaxModel
from domain.core.models import Currency as CurrencyModel
from domain.core.models import Uom as UomModel
from domain.inventory.models import Picking as PickingModel
from domain.inventory.models import Warehouse as WarehouseModel
from domain.partners.models import Partner as PartnerModel
from domain.purchasing import models
from domain.purchasing.replenishment import ReplenishmentReport as Report

if TYPE_CHECKING:
    from api.accounting.types import Invoice
    from api.inventory.types import Picking, Warehouse


@strawberry.type(description="A purchasing mutation refused its input.")
class PurchasingError(UserError):
    codes = PurchasingErrorCode
    code: PurchasingErrorCode = strawberry.field(description="Stable machine-readable reason.")


@strawberry.type(
    description="What a vendor charges for a product from a minimum quantity, within validity "
    "dates. The cheapest valid price for a quantity and date is the default on requests for "
    "quotation and in replenishment; ties go to the shortest lead time."
)
class VendorPrice(ModelNode):
    model = models.VendorPrice
    lead_days: int = strawberry.field(description="Days from order to receipt.")
    vendor_code: str | None = strawberry.field(description="The vendor's code of the product.")
    date_start: dt.date | None = strawberry.field(description="Valid from this day on.")
    date_end: dt.date | None = strawberry.field(description="Valid up to this day.")
    product_id: strawberry.Private[int]
    partner_id: strawberry.Private[int]
    currency_id: strawberry.Private[int]

    @strawberry.field(description="The product bought.")
    async def product(self, info: Info) -> Product:
        return await info.context.loaders.one(ProductModel, self.product_id)

    @strawberry.field(description="The vendor.")
    async def partner(self, info: Info) -> Partner:
        return await info.context.loaders.one(PartnerModel, self.partner_id)

    @strawberry.field(description="Currency of the price.")
    async def currency(self, info: Info) -> Currency:
        return await info.context.loaders.one(CurrencyModel, self.currency_id)

    @strawberry.field(description="Price per purchase unit of the product, before taxes.")
    async def price(self, info: Info, root: strawberry.Parent[models.VendorPrice]) -> Money:
        return await money(info, root.price, root.currency_id)

    @strawberry.field(description="Smallest quantity, in the purchase unit, the price holds for.")
    def min_quantity(self, root: strawberry.Parent[models.VendorPrice]) -> Decimal:
        return quantity(root.min_quantity)


@strawberry.type(description="A line of a request for quotation or purchase order.")
class PurchaseOrderLine(ModelNode):
    model = models.PurchaseOrderLine
    name: str = strawberry.field(description="Description shown on documents.")
    sequence: int = strawberry.field(description="Position on the order, smallest first.")
    discount: Decimal = strawberry.field(description="Discount in percent.")
    order_id: strawberry.Private[int]
    product_id: strawberry.Private[int]
    uom_id: strawberry.Private[int]

    @strawberry.field(description="Ordered quantity, in `uom`.")
    def quantity(self, root: strawberry.Parent[models.PurchaseOrderLine]) -> Decimal:
        return quantity(root.quantity)

    @strawberry.field(description="Quantity received so far (less returns), in `uom`.")
    def qty_received(self, root: strawberry.Parent[models.PurchaseOrderLine]) -> Decimal:
        return quantity(root.qty_received)

    @strawberry.field(description="Quantity billed so far (less credit notes), in `uom`.")
    def qty_billed(self, root: strawberry.Parent[models.PurchaseOrderLine]) -> Decimal:
        return quantity(root.qty_billed)

    @strawberry.field(
        description="Quantity ready to bill: ordered (or, for products billed on receipt, "
        "received) less billed, once the order is confirmed."
    )
    def qty_to_bill(self, root: strawberry.Parent[models.PurchaseOrderLine]) -> Decimal:
        return quantity(root.qty_to_bill)

    @strawberry.field(description="The order the line belongs to.")
    async def order(self, info: Info) -> PurchaseOrder:
        return await info.context.loaders.one(models.PurchaseOrder, self.order_id)

    @strawberry.field(description="The product bought.")
    async def product(self, info: Info) -> Product:
        return await info.context.loaders.one(ProductModel, self.product_id)

    @strawberry.field(description="Unit of `quantity` and `priceUnit`.")
    async def uom(self, info: Info) -> Uom:
        return await info.context.loaders.one(UomModel, self.uom_id)

    @strawberry.field(description="Taxes applied to the line, in order of application.")
    async def taxes(self, info: Info) -> list[Tax]:
        loader = info.context.loaders.linked(
            models.purchase_order_line_tax,
            "line_id",
            "tax_id",
            TaxModel,
            TaxModel.sequence,
            TaxModel.id,
        )
        return await loader.load(self.id)  # type: ignore[return-value]

    @strawberry.field(description="Price per unit, before discount.")
    async def price_unit(
        self, info: Info, root: strawberry.Parent[models.PurchaseOrderLine]
    ) -> Money:
        return await _order_money(info, root.price_unit, root.order_id)

    @strawberry.field(description="Amount without taxes, after discount, rounded.")
    async def price_subtotal(
        self, info: Info, root: strawberry.Parent[models.PurchaseOrderLine]
    ) -> Money:
        return await _order_money(info, root.price_subtotal, root.order_id)

    @strawberry.field(description="Taxes of the line, each rounded, summed.")
    async def price_tax(
        self, info: Info, root: strawberry.Parent[models.PurchaseOrderLine]
    ) -> Money:
        return await _order_money(info, root.price_tax, root.order_id)

    @strawberry.field(description="Subtotal plus taxes.")
    async def price_total(
        self, info: Info, root: strawberry.Parent[models.PurchaseOrderLine]
    ) -> Money:
        return await _order_money(info, root.price_total, root.order_id)


async def _order_money(info: Info, amount: Decimal, order_id: int) -> Money:
    order = await info.context.loaders.by_id(models.PurchaseOrder).load(order_id)
    assert order is not None
    return await money(info, amount, order.currency_id)


@strawberry.type(
    description="A request for quotation or a purchase order: one record whose `state` tells "
    "which. Confirming it (`purchaseOrderConfirm`) creates its receipt; bills follow from it "
    "(`billCreateFromPurchaseOrders`)."
)
class PurchaseOrder(ModelNode):
    model = models.PurchaseOrder
    name: str = strawberry.field(description="Business number, e.g. P00042.")
    state: PurchaseOrderState = strawberry.field(description="Where the order stands.")
    date_order: dt.datetime = strawberry.field(description="Request or order date.")
    date_planned: dt.datetime = strawberry.field(description="When the goods are expected.")
    confirmed_at: dt.datetime | None = strawberry.field(description="When it was confirmed.")
    partner_ref: str | None = strawberry.field(description="The vendor's own reference.")
    note: str | None = strawberry.field(description="Terms and notes printed on the order.")
    receipt_status: ReceiptStatus = strawberry.field(
        description="How far its goods have come in, from its receipts' states."
    )
    bill_status: BillStatus = strawberry.field(
        description="How far it is billed, from its lines' quantities to bill."
    )
    partner_id: strawberry.Private[int]
    currency_id: strawberry.Private[int]
    warehouse_id: strawberry.Private[int]

    @strawberry.field(description="The vendor.")
    async def partner(self, info: Info) -> Partner:
        return await info.context.loaders.one(PartnerModel, self.partner_id)

    @strawberry.field(description="Currency of the prices and amounts.")
    async def currency(self, info: Info) -> Currency:
        return await info.context.loaders.one(CurrencyModel, self.currency_id)

    @strawberry.field(description="The warehouse the goods are received into.")
    async def warehouse(
        self, info: Info
    ) -> Annotated[Warehouse, strawberry.lazy("api.inventory.types")]:
        return await info.context.loaders.one(WarehouseModel, self.warehouse_id)

    @strawberry.field(description="The lines, in order.")
    async def lines(self, info: Info) -> list[PurchaseOrderLine]:
        loader = info.context.loaders.by_parent(
            models.PurchaseOrderLine.order_id,
            models.PurchaseOrderLine.sequence,
            models.PurchaseOrderLine.id,
        )
        return await loader.load(self.id)

    @strawberry.field(description="Its receipts (and their backorders and returns), oldest first.")
    async def receipts(
        self, info: Info
    ) -> list[Annotated[Picking, strawberry.lazy("api.inventory.types")]]:
        return await order_receipts(info, self.id)  # type: ignore[return-value]

    @strawberry.field(description="Bills and vendor credit notes of its lines, oldest first.")
    async def bills(
        self, info: Info
    ) -> list[Annotated[Invoice, strawberry.lazy("api.accounting.types")]]:
        return await order_bills(info).load(self.id)  # type: ignore[return-value]

    @strawberry.field(description="Sum of the lines' subtotals.")
    async def amount_untaxed(
        self, info: Info, root: strawberry.Parent[models.PurchaseOrder]
    ) -> Money:
        return await money(info, root.amount_untaxed, root.currency_id)

    @strawberry.field(description="Sum of the lines' taxes.")
    async def amount_tax(self, info: Info, root: strawberry.Parent[models.PurchaseOrder]) -> Money:
        return await money(info, root.amount_tax, root.currency_id)

    @strawberry.field(description="Untaxed amount plus taxes.")
    async def amount_total(
        self, info: Info, root: strawberry.Parent[models.PurchaseOrder]
    ) -> Money:
        return await money(info, root.amount_total, root.currency_id)


@strawberry.type(
    description="Keep a product's forecast in a warehouse between a minimum and a maximum; "
    "the replenishment scan orders what is missing. Quantities are in the product's unit, "
    "`multiple` in its purchase unit for bought products."
)
class ReorderRule(ModelNode):
    model = models.ReorderRule
    route: ReplenishmentRoute = strawberry.field(description="How the warehouse is refilled.")
    security_days: int = strawberry.field(
        description="Days added to the vendor's lead time for the forecast's window."
    )
    active: bool = strawberry.field(description="Scanned; false to pause the rule.")
    skip_reason: str | None = strawberry.field(
        description="Why the last scan did nothing although the forecast was under the minimum."
    )
    product_id: strawberry.Private[int]
    warehouse_id: strawberry.Private[int]
    source_warehouse_id: strawberry.Private[int | None]

    @strawberry.field(description="The product kept in stock.")
    async def product(self, info: Info) -> Product:
        return await info.context.loaders.one(ProductModel, self.product_id)

    @strawberry.field(description="The warehouse it is kept in.")
    async def warehouse(
        self, info: Info
    ) -> Annotated[Warehouse, strawberry.lazy("api.inventory.types")]:
        return await info.context.loaders.one(WarehouseModel, self.warehouse_id)

    @strawberry.field(description="For transfers: the warehouse the goods come from.")
    async def source_warehouse(
        self, info: Info
    ) -> Annotated[Warehouse, strawberry.lazy("api.inventory.types")] | None:
        return await info.context.loaders.one(WarehouseModel, self.source_warehouse_id)

    @strawberry.field(description="Under this forecast, the scan orders.")
    def min_quantity(self, root: strawberry.Parent[models.ReorderRule]) -> Decimal:
        return quantity(root.min_quantity)

    @strawberry.field(description="The scan orders up to this forecast.")
    def max_quantity(self, root: strawberry.Parent[models.ReorderRule]) -> Decimal:
        return quantity(root.max_quantity)

    @strawberry.field(description="Orders are rounded up to a multiple of this.")
    def multiple(self, root: strawberry.Parent[models.ReorderRule]) -> Decimal:
        return quantity(root.multiple)


@strawberry.type(description="A rule under its minimum the scan did nothing for, and why.")
class ReplenishmentSkip:
    rule_id: strawberry.Private[int]
    reason: str = strawberry.field(description="Why, for a person to read.")

    @strawberry.field(description="The rule.")
    async def rule(self, info: Info) -> ReorderRule:
        return await info.context.loaders.one(models.ReorderRule, self.rule_id)


@strawberry.type(description="What one replenishment scan did.")
class ReplenishmentReport:
    report: strawberry.Private[Report]

    @strawberry.field(description="How many rules were scanned.")
    def rules_scanned(self) -> int:
        return self.report.rules

    @strawberry.field(description="How many request lines were added.")
    def lines_added(self) -> int:
        return self.report.lines_added

    @strawberry.field(description="New draft requests for quotation.")
    async def orders_created(self, info: Info) -> list[PurchaseOrder]:
        return await _many(info, models.PurchaseOrder, self.report.orders_created)

    @strawberry.field(description="Draft requests for quotation that got more lines.")
    async def orders_extended(self, info: Info) -> list[PurchaseOrder]:
        return await _many(info, models.PurchaseOrder, self.report.orders_extended)

    @strawberry.field(description="Internal transfers created, confirmed.")
    async def transfers(
        self, info: Info
    ) -> list[Annotated[Picking, strawberry.lazy("api.inventory.types")]]:
        return await _many(info, PickingModel, self.report.transfers)

    @strawberry.field(description="Rules under their minimum the scan did nothing for.")
    def skipped(self) -> list[ReplenishmentSkip]:
        return [
            ReplenishmentSkip(rule_id=rule, reason=reason) for rule, reason in self.report.skipped
        ]


async def _many(info: Info, model: Any, ids: list[int]) -> Any:
    """The records `ids` of `model`, in order."""
    return list(await info.context.loaders.by_id(model).load_many(ids))
