"""What happened to purchase orders, published for whoever follows them.

No area below purchasing subscribes to these: purchasing asks inventory for receipts and
accounting for bills by calling their services, with its documents as their origins.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.core.events import Event


@dataclass(frozen=True)
class PurchaseOrderConfirmed(Event):
    """A request for quotation became a purchase order; its receipt was created with it."""

    company_id: int
    order_id: int
    name: str
    partner_id: int


@dataclass(frozen=True)
class PurchaseOrderCancelled(Event):
    """A purchase order was cancelled; its open receipts were cancelled with it."""

    company_id: int
    order_id: int
