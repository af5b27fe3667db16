"""Products, categories and taxes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from api.access import requires
from api.catalog.enums import (
    InvoicePolicy,
    PricelistRule,
    ProductType,
    TaxAmountType,
    TaxUse,
    Tracking,
)
from api.context import Info
from api.core.types import Currency, Money, Uom, company_money, money
from api.enums import graphql_enum
from api.errors import UserError
from api.ids import decode_id
from api.inventory.loaders import load_availability, load_stock_valuation
from api.nodes import ModelNode
from domain.catalog import models
from domain.catalog.commands import CATALOG_COST
from domain.catalog.errors import CatalogErrorCode
from domain.core.models import Currency as CurrencyModel
from domain.core.models import Uom as UomModel
from domain.purchasing.models import VendorPrice as VendorPriceModel

if TYPE_CHECKING:
    from api.inventory.types import ProductAvailability, ProductStockValuation
    from api.purchasing.types import VendorPrice

graphql_enum(
    CatalogErrorCode,
    "Why a catalog change was refused.",
    {
        "INVALID_PARENT": "The parent category does not fit.",
        "INVALID_TAX": "The tax is not for this use or not of this company.",
    },
)


@strawberry.type(description="A catalog mutation refused its input.")
class CatalogError(UserError):
    codes = CatalogErrorCode
    code: CatalogErrorCode = strawberry.field(description="Stable machine-readable reason.")


@strawberry.type(description="A node of the product category tree.")
class ProductCategory(ModelNode):
    model = models.ProductCategory
    name: str = strawberry.field(description="Name, unique among its siblings.")
    parent_id: strawberry.Private[int | None]

    @strawberry.field(description="The category above this one; null at the top.")
    async def parent(self, info: Info) -> ProductCategory | None:
        return await info.context.loaders.one(models.ProductCategory, self.parent_id)

    @strawberry.field(description="The categories right below this one.")
    async def children(self, info: Info) -> list[ProductCategory]:
        loader = info.context.loaders.by_parent(
            models.ProductCategory.parent_id, models.ProductCategory.name
        )
        return await loader.load(self.id)


@strawberry.type(
    description="A sales or purchase tax. A line's taxes apply in `sequence` order; a tax "
    "with `includeBaseAmount` adds itself to the base of the taxes after it, and a "
    "`priceInclude` tax is contained in the unit price."
)
class Tax(ModelNode):
    model = models.Tax
    name: str = strawberry.field(description="Name, e.g. VAT 15%.")
    type_tax_use: TaxUse = strawberry.field(description="Sales or purchases.")
    amount_type: TaxAmountType = strawberry.field(description="Percent or fixed per unit.")
    amount: Decimal = strawberry.field(description="The percentage, or the fixed amount per unit.")
    price_include: bool = strawberry.field(description="Contained in the unit price.")
    include_base_amount: bool = strawberry.field(
        description="Added to the base of the taxes that follow."
    )
    sequence: int = strawberry.field(description="Order of application, smallest first.")
    active: bool = strawberry.field(description="False once archived.")


@strawberry.type(description="A named attribute of a variant: size M, colour red.")
class ProductAttribute:
    name: str = strawberry.field(description="What it is: size, colour.")
    value: str = strawberry.field(description="Its value: M, red.")


def product_attributes(attributes: dict[str, str] | None) -> list[ProductAttribute]:
    return [ProductAttribute(name=name, value=value) for name, value in (attributes or {}).items()]


@strawberry.type(
    description="Something sold or bought: storable or consumable goods, or a service."
)
class Product(ModelNode):
    model = models.Product
    sku: str = strawberry.field(description="Stock keeping unit, unique per company.")
    name: str = strawberry.field(description="Name shown on documents.")
    description: str | None = strawberry.field(description="Longer description.")
    type: ProductType = strawberry.field(description="Storable, consumable or service.")
    barcode: str | None = strawberry.field(description="EAN or other barcode, unique per company.")
    invoice_policy: InvoicePolicy = strawberry.field(
        description="Invoice the ordered quantity, or only what was delivered."
    )
    tracking: Tracking = strawberry.field(
        description="Whether its stock is tracked by lot or serial number."
    )
    active: bool = strawberry.field(description="False once archived.")
    published: bool = strawberry.field(description="Shown in the storefront.")
    image_urls: list[str] | None = strawberry.field(
        description="Addresses of its pictures, the main one first."
    )
    company_id: strawberry.Private[int]
    variant_of_id: strawberry.Private[int | None]
    attributes: strawberry.Private[dict[str, str] | None]
    category_id: strawberry.Private[int | None]
    uom_id: strawberry.Private[int]
    purchase_uom_id: strawberry.Private[int]
    list_price: strawberry.Private[Decimal]
    standard_price: strawberry.Private[Decimal]

    @strawberry.field(description="Sale price per sale unit, before taxes and discounts.")
    async def sale_price(self, info: Info) -> Money:
        return await company_money(info, self.list_price, self.company_id)

    @strawberry.field(
        description="Cost per sale unit (needs `catalog.cost`).", metadata=requires(CATALOG_COST)
    )
    async def cost(self, info: Info) -> Money:
        return await company_money(info, self.standard_price, self.company_id)

    @strawberry.field(description="The product this one is a variant of; null for a product.")
    async def variant_of(self, info: Info) -> Product | None:
        return await info.context.loaders.one(models.Product, self.variant_of_id)

    @strawberry.field(description="What tells this variant apart: size, colour.")
    def variant_attributes(self) -> list[ProductAttribute]:
        return product_attributes(self.attributes)

    @strawberry.field(description="Where the product sits in the category tree.")
    async def category(self, info: Info) -> ProductCategory | None:
        return await info.context.loaders.one(models.ProductCategory, self.category_id)

    @strawberry.field(description="Unit the product is sold and stocked in.")
    async def uom(self, info: Info) -> Uom:
        return await info.context.loaders.one(UomModel, self.uom_id)

    @strawberry.field(description="Unit the product is bought in; converts to `uom`.")
    async def purchase_uom(self, info: Info) -> Uom:
        return await info.context.loaders.one(UomModel, self.purchase_uom_id)

    @strawberry.field(
        description="Stock on hand, reserved, available, incoming, outgoing and forecast, in "
        "the product's unit, for a warehouse (the whole company by default)."
    )
    async def availability(
        self,
        info: Info,
        warehouse_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="The warehouse; every warehouse when left out."),
        ] = None,
        date: Annotated[
            dt.date | None,
            strawberry.argument(
                description="Count incoming and outgoing moves planned up to the end of this "
                "day; every open move when left out."
            ),
        ] = None,
    ) -> Annotated[ProductAvailability, strawberry.lazy("api.inventory.types")]:
        warehouse = decode_id(warehouse_id, "Warehouse", "warehouse_id") if warehouse_id else None
        return await load_availability(info, self.id, warehouse, date)

    @strawberry.field(
        description="Its stock on hand in the company valued at average cost: quantity, value "
        "and average cost."
    )
    async def stock_valuation(
        self, info: Info
    ) -> Annotated[ProductStockValuation, strawberry.lazy("api.inventory.types")]:
        return await load_stock_valuation(info, self.id, self.company_id)

    @strawberry.field(description="What its vendors charge for it, cheapest first.")
    async def vendor_prices(
        self, info: Info
    ) -> list[Annotated[VendorPrice, strawberry.lazy("api.purchasing.types")]]:
        loader = info.context.loaders.by_parent(
            VendorPriceModel.product_id, VendorPriceModel.price, VendorPriceModel.id
        )
        return await loader.load(self.id)

    @strawberry.field(description="Taxes applied when it is sold, unless a line says otherwise.")
    async def sale_taxes(self, info: Info) -> list[Tax]:
        return [tax for tax in await _taxes(info, self.id) if tax.type_tax_use is TaxUse.SALE]  # type: ignore[misc]

    @strawberry.field(description="Taxes applied when it is bought.")
    async def purchase_taxes(self, info: Info) -> list[Tax]:
        return [tax for tax in await _taxes(info, self.id) if tax.type_tax_use is TaxUse.PURCHASE]  # type: ignore[misc]


async def _taxes(info: Info, product_id: int) -> list[models.Tax]:
    loader = info.context.loaders.linked(
        models.product_tax, "product_id", "tax_id", models.Tax, models.Tax.sequence, models.Tax.id
    )
    return await loader.load(product_id)


@strawberry.type(
    description="Prices in one currency that replace sale prices where one of its items "
    "applies: the largest quantity break not above the line's quantity, valid on the "
    "document's date."
)
class Pricelist(ModelNode):
    model = models.Pricelist
    name: str = strawberry.field(description="Name, unique per company.")
    active: bool = strawberry.field(description="False once archived.")
    currency_id: strawberry.Private[int]

    @strawberry.field(description="The currency of its prices.")
    async def currency(self, info: Info) -> Currency:
        return await info.context.loaders.one(CurrencyModel, self.currency_id)

    @strawberry.field(description="Its items, by product and quantity break.")
    async def items(self, info: Info) -> list[PricelistItem]:
        loader = info.context.loaders.by_parent(
            models.PricelistItem.pricelist_id,
            models.PricelistItem.product_id,
            models.PricelistItem.min_quantity,
        )
        return await loader.load(self.id)


@strawberry.type(description="One product's price in a pricelist, from a quantity on.")
class PricelistItem(ModelNode):
    model = models.PricelistItem
    rule: PricelistRule = strawberry.field(description="Fixed price or percentage off.")
    min_quantity: Decimal = strawberry.field(
        description="Applies from this quantity on, in the product's unit."
    )
    percent: Decimal | None = strawberry.field(
        description="Percent off the sale price (rule percentage)."
    )
    date_start: dt.date | None = strawberry.field(description="First day it applies.")
    date_end: dt.date | None = strawberry.field(description="Last day it applies.")
    pricelist_id: strawberry.Private[int]
    product_id: strawberry.Private[int]
    fixed_price: strawberry.Private[Decimal | None]

    @strawberry.field(description="The price per product unit (rule fixed).")
    async def price(self, info: Info) -> Money | None:
        if self.fixed_price is None:
            return None
        pricelist = await info.context.loaders.one(models.Pricelist, self.pricelist_id)
        return await money(info, self.fixed_price, pricelist.currency_id)

    @strawberry.field(description="The product it prices.")
    async def product(self, info: Info) -> Product:
        return await info.context.loaders.one(models.Product, self.product_id)
