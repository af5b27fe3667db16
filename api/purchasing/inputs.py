"""Inputs of the purchasing mutations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import strawberry

from api.ids import decode_id, decode_ids
from domain.purchasing.billing import BillLine
from domain.purchasing.models import ReplenishmentRoute
from domain.purchasing.replenishment import RuleValues
from domain.purchasing.services import LineValues, OrderValues, VendorPriceValues


def _given(obj: object) -> dict[str, Any]:
    return {key: value for key, value in vars(obj).items() if value is not strawberry.UNSET}


def _decoded(given: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    """`given` without nulls, its global IDs (`ids`: field → type) decoded."""
    given = {key: value for key, value in given.items() if value is not None}
    for key, node_type in ids.items():
        if key in given:
            given[key] = decode_id(given[key], node_type, key)
    return given


@strawberry.input(description="A vendor's price of a product.")
class VendorPriceInput:
    product_id: strawberry.ID = strawberry.field(description="The product.")
    partner_id: strawberry.ID = strawberry.field(description="The vendor.")
    price: Decimal = strawberry.field(description="Price per purchase unit, before taxes.")
    currency: str | None = strawberry.field(
        default=strawberry.UNSET, description="ISO 4217 code; the company's when left out."
    )
    min_quantity: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Smallest quantity (purchase unit); 0 by default."
    )
    lead_days: int | None = strawberry.field(
        default=strawberry.UNSET, description="Days from order to receipt; 0 by default."
    )
    vendor_code: str | None = strawberry.field(
        default=strawberry.UNSET, description="The vendor's code of the product."
    )
    date_start: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="Valid from this day on."
    )
    date_end: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="Valid up to this day."
    )

    def values(self) -> VendorPriceValues:
        return _vendor_price_values(_given(self))


@strawberry.input(description="Changes to a vendor price; fields left out keep their value.")
class VendorPriceUpdateInput:
    partner_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Another vendor."
    )
    price: Decimal | None = strawberry.field(default=strawberry.UNSET, description="Price.")
    currency: str | None = strawberry.field(default=strawberry.UNSET, description="ISO 4217 code.")
    min_quantity: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Smallest quantity."
    )
    lead_days: int | None = strawberry.field(default=strawberry.UNSET, description="Lead time.")
    vendor_code: str | None = strawberry.field(
        default=strawberry.UNSET, description="The vendor's code; null clears it."
    )
    date_start: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="Valid from; null: always."
    )
    date_end: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="Valid up to; null: forever."
    )

    def values(self) -> VendorPriceValues:
        return _vendor_price_values(_given(self))


def _vendor_price_values(given: dict[str, Any]) -> VendorPriceValues:
    clearable = {
        key: given[key] for key in ("vendor_code", "date_start", "date_end") if key in given
    }
    values = _decoded(given, {"product_id": "Product", "partner_id": "Partner"})
    return VendorPriceValues(**{**values, **clearable})  # type: ignore[typeddict-item]


@strawberry.input(description="A line to add; everything but product and quantity has a default.")
class PurchaseOrderLineInput:
    product_id: strawberry.ID = strawberry.field(description="The product bought.")
    quantity: Decimal = strawberry.field(
        description="Quantity in `uomId` (the product's purchase unit by default)."
    )
    name: str | None = strawberry.field(
        default=strawberry.UNSET, description="Description; the product's name by default."
    )
    uom_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Unit, converting to the product's; its purchase unit by default.",
    )
    price_unit: Decimal | None = strawberry.field(
        default=strawberry.UNSET,
        description="Price per unit; the vendor's price for the quantity by default, else the "
        "product's cost.",
    )
    discount: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Discount in percent."
    )
    tax_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Taxes; the product's purchase taxes by default."
    )
    sequence: int | None = strawberry.field(default=strawberry.UNSET, description="Position.")

    def values(self) -> LineValues:
        given = _decoded(_given(self), {"product_id": "Product", "uom_id": "Uom"})
        if "tax_ids" in given:
            given["tax_ids"] = decode_ids(given["tax_ids"], "Tax", "tax_ids")
        return LineValues(**given)  # type: ignore[typeddict-item]


@strawberry.input(description="A new request for quotation with its lines.")
class PurchaseOrderCreateInput:
    partner_id: strawberry.ID = strawberry.field(description="The vendor.")
    warehouse_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Where the goods are received; the company's first warehouse by default.",
    )
    date_order: dt.datetime | None = strawberry.field(
        default=strawberry.UNSET, description="Order date; now by default."
    )
    date_planned: dt.datetime | None = strawberry.field(
        default=strawberry.UNSET,
        description="When the goods are expected; the order date by default.",
    )
    partner_ref: str | None = strawberry.field(
        default=strawberry.UNSET, description="The vendor's reference."
    )
    note: str | None = strawberry.field(default=strawberry.UNSET, description="Terms and notes.")
    currency: str | None = strawberry.field(
        default=None,
        description="ISO 4217 code of the order's currency; the company's when left out. "
        "Prices convert at the rate of the order date.",
    )
    lines: list[PurchaseOrderLineInput] = strawberry.field(
        default_factory=list, description="The lines, in order."
    )

    def values(self) -> OrderValues:
        given = {k: v for k, v in _given(self).items() if k in OrderValues.__annotations__}
        values = _decoded(given, {"partner_id": "Partner", "warehouse_id": "Warehouse"})
        return OrderValues(**values)  # type: ignore[typeddict-item]


@strawberry.input(description="A line of a vendor's bill, matched against its order line.")
class PurchaseBillLineInput:
    line_id: strawberry.ID = strawberry.field(description="The purchase order line billed.")
    quantity: Decimal = strawberry.field(description="Quantity billed, in the line's unit.")
    price_unit: Decimal | None = strawberry.field(
        default=None, description="Unit price billed; the ordered price when left out."
    )

    def value(self) -> BillLine:
        return BillLine(
            line_id=decode_id(self.line_id, "PurchaseOrderLine", "line_id"),
            quantity=self.quantity,
            price_unit=self.price_unit,
        )


@strawberry.input(description="What to bill of confirmed purchase orders of one vendor.")
class BillFromPurchaseOrdersInput:
    order_ids: list[strawberry.ID] = strawberry.field(
        description="Orders of one vendor and currency."
    )
    date: dt.date | None = strawberry.field(
        default=None, description="Accounting date; today by default."
    )
    lines: list[PurchaseBillLineInput] | None = strawberry.field(
        default=None,
        description="The lines as the vendor billed them; by default every line's quantity to "
        "bill at its ordered price.",
    )
    override_reason: str | None = strawberry.field(
        default=None,
        description="Lets through lines billed beyond what is left to bill or at a price off "
        "the ordered one; kept in the audit trail.",
    )
    vendor_ref: str | None = strawberry.field(
        default=None, description="The vendor's bill number; the order numbers by default."
    )


@strawberry.input(description="A new reorder rule.")
class ReorderRuleInput:
    product_id: strawberry.ID = strawberry.field(description="The product to keep in stock.")
    warehouse_id: strawberry.ID = strawberry.field(description="The warehouse to keep it in.")
    min_quantity: Decimal = strawberry.field(description="Under this forecast, order.")
    max_quantity: Decimal = strawberry.field(description="Order up to this forecast.")
    multiple: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Round orders up to a multiple of this; 1 by default."
    )
    route: ReplenishmentRoute | None = strawberry.field(
        default=strawberry.UNSET, description="How to refill; BUY by default."
    )
    source_warehouse_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="For TRANSFER: where the goods come from."
    )
    security_days: int | None = strawberry.field(
        default=strawberry.UNSET, description="Days added to the vendor's lead time; 0 by default."
    )

    def values(self) -> RuleValues:
        return _rule_values(_given(self))


@strawberry.input(description="Changes to a reorder rule; fields left out keep their value.")
class ReorderRuleUpdateInput:
    min_quantity: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Minimum."
    )
    max_quantity: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Maximum."
    )
    multiple: Decimal | None = strawberry.field(default=strawberry.UNSET, description="Multiple.")
    route: ReplenishmentRoute | None = strawberry.field(
        default=strawberry.UNSET, description="Route."
    )
    source_warehouse_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="For TRANSFER: the source warehouse."
    )
    security_days: int | None = strawberry.field(
        default=strawberry.UNSET, description="Security days."
    )
    active: bool | None = strawberry.field(
        default=strawberry.UNSET, description="False pauses the rule."
    )

    def values(self) -> RuleValues:
        return _rule_values(_given(self))


def _rule_values(given: dict[str, Any]) -> RuleValues:
    values = _decoded(
        given,
        {"product_id": "Product", "warehouse_id": "Warehouse", "source_warehouse_id": "Warehouse"},
    )
    return RuleValues(**values)  # type: ignore[typeddict-item]


@strawberry.input(description="What to scan.")
class ReplenishmentRunInput:
    product_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only the rules of these products; every active rule by default."
    )
