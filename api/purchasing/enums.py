"""Purchasing enums as GraphQL enums; import them from here so they are described first."""

from __future__ import annotations

from api.enums import graphql_enum
from domain.purchasing.errors import PurchasingErrorCode
from domain.purchasing.models import (
    BillStatus,
    PurchaseOrderState,
    ReceiptStatus,
    ReplenishmentRoute,
)

__all__ = [
    "BillStatus",
    "PurchaseOrderState",
    "PurchasingErrorCode",
    "ReceiptStatus",
    "ReplenishmentRoute",
]

graphql_enum(
    PurchaseOrderState,
    "Where a purchase stands. Allowed moves: draft → sent, purchase or cancel; "
    "sent → purchase or cancel; purchase → done or cancel; cancel → draft.",
    {
        "DRAFT": "A request for quotation being prepared.",
        "SENT": "The request was sent to the vendor.",
        "PURCHASE": "A confirmed order: its receipt waits for the goods, its lines get billed.",
        "DONE": "Locked: no more changes.",
        "CANCEL": "Given up.",
    },
)
graphql_enum(
    ReceiptStatus,
    "How far the goods of an order have come in.",
    {
        "NOTHING": "Nothing to receive: a request, services only, or all cancelled.",
        "PENDING": "Receipts are open and none is done yet.",
        "PARTIAL": "Some receipts are done, others (backorders) still open.",
        "FULL": "Every receipt is done or cancelled, at least one done.",
    },
)
graphql_enum(
    BillStatus,
    "How far an order is billed, from its lines and each product's control policy.",
    {
        "NOTHING": "Nothing to bill now: a request, or goods billed on receipt that have not "
        "come in.",
        "TO_BILL": "Some line has a quantity to bill.",
        "BILLED": "Every line is billed in full.",
    },
)
graphql_enum(
    PurchasingErrorCode,
    "Why a purchasing change was refused.",
    {
        "NOT_EDITABLE": "Only requests for quotation (draft or sent) can be changed.",
        "NO_LINES": "An order needs at least one line.",
        "INVALID_TAX": "A tax is not a purchase tax of this company.",
        "ALREADY_RECEIVED": "Goods of the order were received; return them instead.",
        "NOTHING_TO_BILL": "The orders have nothing left to bill.",
        "OVER_BILLED": "A bill line asks for more than is left to bill (received, or ordered); "
        "override the match with a reason to let it through.",
        "PRICE_MISMATCH": "A bill line's price differs from the ordered price by more than "
        "1 %; override the match with a reason to let it through.",
        "CURRENCY": "The currency is unknown, or has no rate on the order date.",
    },
)
graphql_enum(
    ReplenishmentRoute,
    "How a reorder rule refills its warehouse.",
    {
        "BUY": "A request for quotation to the product's cheapest vendor for the quantity.",
        "TRANSFER": "An internal transfer from another warehouse, of what it has to spare.",
        "MANUFACTURE": "A manufacturing order; skipped with a reason until manufacturing exists.",
    },
)
