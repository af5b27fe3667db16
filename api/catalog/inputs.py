"""Inputs of the catalog mutations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

import strawberry

from api.catalog.enums import InvoicePolicy, ProductType, TaxAmountType, TaxUse, Tracking
from api.ids import decode_id, decode_ids
from domain.catalog.services import PricelistItemValues, ProductValues, TaxValues
from domain.core.errors import DomainError

#: Input fields holding IDs, with the type each must be an ID of.
_PRODUCT_REFERENCES = {
    "category_id": "ProductCategory",
    "uom_id": "Uom",
    "purchase_uom_id": "Uom",
    "variant_of_id": "Product",
}


def _given(obj: object) -> dict[str, Any]:
    return {key: value for key, value in vars(obj).items() if value is not strawberry.UNSET}


@strawberry.input(description="A named attribute of a variant: size M, colour red.")
class ProductAttributeInput:
    name: str = strawberry.field(description="What it is: size, colour.")
    value: str = strawberry.field(description="Its value: M, red.")


@strawberry.input(description="Fields of a product; on update, fields left out keep their value.")
class ProductInput:
    sku: str | None = strawberry.field(default=strawberry.UNSET, description="Unique SKU.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Name.")
    description: str | None = strawberry.field(default=strawberry.UNSET, description="Description.")
    type: ProductType | None = strawberry.field(
        default=strawberry.UNSET, description="Storable, consumable (default) or service."
    )
    category_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Category."
    )
    sale_price: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Price per sale unit, in the company currency."
    )
    cost: Decimal | None = strawberry.field(default=strawberry.UNSET, description="Cost per unit.")
    uom_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Sale and stock unit; Units by default."
    )
    purchase_uom_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Purchase unit, of the same category; the sale unit by default.",
    )
    barcode: str | None = strawberry.field(default=strawberry.UNSET, description="Barcode.")
    invoice_policy: InvoicePolicy | None = strawberry.field(
        default=strawberry.UNSET, description="Ordered (default) or delivered quantities."
    )
    tracking: Tracking | None = strawberry.field(
        default=strawberry.UNSET,
        description="None (default), by lot or by serial number; storable products only.",
    )
    active: bool | None = strawberry.field(default=strawberry.UNSET, description="False archives.")
    published: bool | None = strawberry.field(
        default=strawberry.UNSET, description="In the storefront."
    )
    variant_of_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="The product this one is a variant of (a size or colour); null for none.",
    )
    attributes: list[ProductAttributeInput] | None = strawberry.field(
        default=strawberry.UNSET,
        description="What tells the variant apart, e.g. size M, colour red (at most 10).",
    )
    image_urls: list[str] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Addresses of its pictures, the main one first (at most 10).",
    )
    sale_tax_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Default sales taxes (replaces the current ones)."
    )
    purchase_tax_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Default purchase taxes (replaces the current ones)."
    )

    #: Domain field names this input calls otherwise, for error paths.
    ALIASES: ClassVar[dict[str, str]] = {"list_price": "sale_price", "standard_price": "cost"}

    def values(self) -> ProductValues:
        given = {key: value for key, value in _given(self).items() if value is not None}
        for key, type_name in _PRODUCT_REFERENCES.items():
            if key in given:
                given[key] = decode_id(given[key], type_name, key)
        if self.category_id is None:
            given["category_id"] = None
        if self.variant_of_id is None:
            given["variant_of_id"] = None
        if "attributes" in given:
            given["attributes"] = {item.name: item.value for item in given["attributes"]}
        for key in ("sale_tax_ids", "purchase_tax_ids"):
            if key in given:
                given[key] = decode_ids(given[key], "Tax", key)
        if "sale_price" in given:
            given["list_price"] = given.pop("sale_price")
        if "cost" in given:
            given["standard_price"] = given.pop("cost")
        if self.description is None:
            given["description"] = None
        if self.barcode is None:
            given["barcode"] = None
        return ProductValues(**given)  # type: ignore[typeddict-item]


@strawberry.input(description="A new product category.")
class ProductCategoryInput:
    name: str = strawberry.field(description="Name, unique among its siblings.")
    parent_id: strawberry.ID | None = strawberry.field(default=None, description="Parent category.")


@strawberry.input(description="A new tax.")
class TaxInput:
    name: str = strawberry.field(description="Name, e.g. VAT 15%.")
    amount: Decimal = strawberry.field(description="Percentage, or fixed amount per unit.")
    type_tax_use: TaxUse = strawberry.field(default=TaxUse.SALE, description="Sales or purchases.")
    amount_type: TaxAmountType = strawberry.field(
        default=TaxAmountType.PERCENT, description="Percent (default) or fixed."
    )
    price_include: bool = strawberry.field(default=False, description="Contained in prices.")
    include_base_amount: bool = strawberry.field(
        default=False, description="Adds itself to the base of the taxes after it."
    )
    sequence: int = strawberry.field(default=10, description="Order of application.")

    def values(self) -> TaxValues:
        return TaxValues(**vars(self))  # type: ignore[typeddict-item]


@strawberry.input(description="One item of a pricelist: a fixed price or a percentage off.")
class PricelistItemInput:
    product_id: strawberry.ID = strawberry.field(description="The product it prices.")
    fixed_price: Decimal | None = strawberry.field(
        default=None, description="Price per product unit, in the pricelist's currency."
    )
    percent: Decimal | None = strawberry.field(
        default=None, description="Percent off the sale price, instead of a fixed price."
    )
    min_quantity: Decimal = strawberry.field(
        default=Decimal(0), description="Applies from this quantity on (a quantity break)."
    )
    date_start: dt.date | None = strawberry.field(default=None, description="First valid day.")
    date_end: dt.date | None = strawberry.field(default=None, description="Last valid day.")

    def values(self) -> PricelistItemValues:
        return PricelistItemValues(
            product_id=decode_id(self.product_id, "Product", "product_id"),
            fixed_price=self.fixed_price,
            percent=self.percent,
            min_quantity=self.min_quantity,
            date_start=self.date_start,
            date_end=self.date_end,
        )


@strawberry.input(description="A new pricelist with its items.")
class PricelistInput:
    name: str = strawberry.field(description="Name, unique per company.")
    currency: str | None = strawberry.field(
        default=None, description="ISO code of its prices' currency; the company's by default."
    )
    items: list[PricelistItemInput] = strawberry.field(
        default_factory=list, description="Its items."
    )

    def item_values(self) -> tuple[PricelistItemValues, ...]:
        values = []
        for index, item in enumerate(self.items):
            try:
                values.append(item.values())
            except DomainError as error:
                raise error.at("items", str(index)) from None
        return tuple(values)
