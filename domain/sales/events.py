"""What happened to sales orders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from domain.core.events import Event


@dataclass(frozen=True)
class ConfirmedLine:
    """A line of a confirmed order, as the areas that fulfil it need it."""

    sale_line_id: int
    product_id: int
    quantity: Decimal
    uom_id: int
    name: str


@dataclass(frozen=True)
class SaleOrderConfirmed(Event):
    """A quotation became a sales order: goods should be reserved and delivered.

    It carries what fulfilment needs, so the areas reacting to it never read sales tables.
    """

    company_id: int
    order_id: int
    name: str
    partner_shipping_id: int
    confirmed_at: dt.datetime
    lines: tuple[ConfirmedLine, ...]


@dataclass(frozen=True)
class SaleOrderCancelled(Event):
    """A sales order was cancelled: its reservations and undone deliveries go."""

    company_id: int
    order_id: int
