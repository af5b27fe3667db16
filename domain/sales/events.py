"""What happened to sales orders."""

from __future__ import annotations

from dataclasses import dataclass

from domain.core.events import Event


@dataclass(frozen=True)
class SaleOrderConfirmed(Event):
    """A quotation became a sales order: goods should be reserved and delivered."""

    company_id: int
    order_id: int


@dataclass(frozen=True)
class SaleOrderCancelled(Event):
    """A sales order was cancelled: its reservations and undone deliveries go."""

    company_id: int
    order_id: int
