"""Catalog enums as GraphQL enums; import them from here so they are described first."""

from __future__ import annotations

from api.enums import graphql_enum
from domain.catalog.models import (
    InvoicePolicy,
    PricelistRule,
    ProductType,
    TaxAmountType,
    TaxUse,
    Tracking,
)

__all__ = ["InvoicePolicy", "PricelistRule", "ProductType", "TaxAmountType", "TaxUse", "Tracking"]

graphql_enum(
    PricelistRule,
    "How a pricelist item prices its product.",
    {
        "FIXED": "A fixed price per product unit.",
        "PERCENTAGE": "A percentage off the product's sale price.",
    },
)

graphql_enum(
    ProductType,
    "What kind of thing a product is.",
    {
        "STORABLE": "Goods whose stock is tracked.",
        "CONSUMABLE": "Goods delivered but not counted in stock.",
        "SERVICE": "Work or a right; never delivered.",
    },
)

graphql_enum(
    InvoicePolicy,
    "When a sold product is invoiced.",
    {
        "ORDERED": "The ordered quantity, once the order is confirmed.",
        "DELIVERED": "Only what was delivered.",
    },
)

graphql_enum(
    TaxAmountType,
    "How a tax amount is computed.",
    {"PERCENT": "A percentage of the base.", "FIXED": "A fixed amount per unit."},
)

graphql_enum(
    TaxUse,
    "Whether a tax is for sales or purchases.",
    {"SALE": "Applies on sales.", "PURCHASE": "Applies on purchases."},
)
graphql_enum(
    Tracking,
    "How stock of a storable product is told apart.",
    {
        "NONE": "By quantity only.",
        "LOT": "By lot: every unit in stock belongs to a lot.",
        "SERIAL": "By serial number: every unit has its own.",
    },
)
