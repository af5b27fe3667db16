"""Inputs of the sales mutations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import strawberry

from api.ids import decode_id, decode_ids
from domain.sales.services import LineValues, OrderValues


def _given(obj: object) -> dict[str, Any]:
    return {key: value for key, value in vars(obj).items() if value is not strawberry.UNSET}


@strawberry.input(description="A line to add; everything but product and quantity has a default.")
class SaleOrderLineInput:
    product_id: strawberry.ID = strawberry.field(description="The product sold.")
    quantity: Decimal = strawberry.field(
        description="Quantity in `uomId` (the product's unit by default)."
    )
    name: str | None = strawberry.field(
        default=strawberry.UNSET, description="Description; the product's name by default."
    )
    uom_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Unit, converting to the product's; the product's by default.",
    )
    price_unit: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Price per unit; the product's sale price by default."
    )
    discount: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Discount in percent."
    )
    tax_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Taxes; the product's sales taxes by default."
    )
    sequence: int | None = strawberry.field(default=strawberry.UNSET, description="Position.")

    def values(self) -> LineValues:
        return _line_values(_given(self))


@strawberry.input(description="Changes to a line; fields left out keep their value.")
class SaleOrderLineUpdateInput:
    product_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Another product."
    )
    quantity: Decimal | None = strawberry.field(default=strawberry.UNSET, description="Quantity.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Description.")
    uom_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="Unit.")
    price_unit: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Price per unit."
    )
    discount: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Discount in percent."
    )
    tax_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Taxes."
    )
    sequence: int | None = strawberry.field(default=strawberry.UNSET, description="Position.")

    def values(self) -> LineValues:
        return _line_values(_given(self))


def _line_values(given: dict[str, Any]) -> LineValues:
    given = {key: value for key, value in given.items() if value is not None}
    if "product_id" in given:
        given["product_id"] = decode_id(given["product_id"], "Product", "product_id")
    if "uom_id" in given:
        given["uom_id"] = decode_id(given["uom_id"], "Uom", "uom_id")
    if "tax_ids" in given:
        given["tax_ids"] = decode_ids(given["tax_ids"], "Tax", "tax_ids")
    return LineValues(**given)  # type: ignore[typeddict-item]


@strawberry.input(description="Header of a quotation; on update, fields left out keep their value.")
class SaleOrderInput:
    partner_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="The customer; its invoice and delivery addresses follow.",
    )
    partner_invoice_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Who is invoiced, if not the customer's invoice address.",
    )
    partner_shipping_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Where to deliver, if not the customer's delivery address.",
    )
    date_order: dt.datetime | None = strawberry.field(
        default=strawberry.UNSET, description="Order date; now by default."
    )
    validity_date: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="Expiry of the quotation."
    )
    client_order_ref: str | None = strawberry.field(
        default=strawberry.UNSET, description="The customer's reference."
    )
    note: str | None = strawberry.field(default=strawberry.UNSET, description="Terms and notes.")
    pricelist_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Price the products' lines from this pricelist, in the order's currency "
        "(applies to lines added from now on; null stops using one).",
    )

    def values(self) -> OrderValues:
        given = {k: v for k, v in _given(self).items() if k in OrderValues.__annotations__}
        for key in ("partner_id", "partner_invoice_id", "partner_shipping_id"):
            if given.get(key) is not None:
                given[key] = decode_id(given[key], "Partner", key)
            else:
                given.pop(key, None)
        if given.get("pricelist_id") is not None:
            given["pricelist_id"] = decode_id(given["pricelist_id"], "Pricelist", "pricelist_id")
        if given.get("date_order") is None:
            given.pop("date_order", None)
        return OrderValues(**given)  # type: ignore[typeddict-item]


@strawberry.input(description="A new quotation with its lines.")
class SaleOrderCreateInput(SaleOrderInput):
    lines: list[SaleOrderLineInput] = strawberry.field(
        default_factory=list, description="The lines, in order."
    )
    currency: str | None = strawberry.field(
        default=None,
        description="ISO 4217 code of the order's currency; the company's when left out. "
        "Product prices convert at the rate of the order date (`currencyRateSet`), and the "
        "order is invoiced in this currency.",
    )
