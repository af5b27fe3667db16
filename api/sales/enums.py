"""Sales enums as GraphQL enums; import them from here so they are described first."""

from __future__ import annotations

from api.enums import graphql_enum
from domain.sales.models import DeliveryStatus, InvoiceStatus, SaleOrderState

__all__ = ["DeliveryStatus", "InvoiceStatus", "SaleOrderState"]

graphql_enum(
    SaleOrderState,
    "Where an order stands. Allowed moves: draft → sent, sale or cancel; "
    "sent → sale or cancel; sale → done or cancel; done → sale (unlock); cancel → draft.",
    {
        "DRAFT": "A quotation being prepared.",
        "SENT": "The quotation was sent to the customer.",
        "SALE": "A confirmed order: it drives delivery and invoicing.",
        "DONE": "Locked: no more changes.",
        "CANCEL": "Given up.",
    },
)
graphql_enum(
    DeliveryStatus,
    "How far the goods of an order have gone out.",
    {
        "NOTHING": "Nothing to deliver: a quotation, services only, or all cancelled.",
        "PENDING": "Deliveries are open and none is done yet.",
        "PARTIAL": "Some deliveries are done, others still open.",
        "FULL": "Every delivery is done or cancelled, at least one done.",
    },
)
graphql_enum(
    InvoiceStatus,
    "How far an order is invoiced, from its lines and each product's invoice policy.",
    {
        "NOTHING": "Nothing to invoice now: a quotation, or goods invoiced on delivery that "
        "have not gone out yet.",
        "TO_INVOICE": "Some line has a quantity to invoice (or to credit, after a return).",
        "INVOICED": "Every line is invoiced in full.",
        "UPSELLING": "Every line is invoiced in full and more than ordered was delivered.",
    },
)
