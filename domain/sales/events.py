"""What happened to sales orders, published for whoever follows them.

No area below sales subscribes to these: sales asks inventory for deliveries by calling its
services, with the order as their origin.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from domain.core.events import Event


@dataclass(frozen=True)
class ConfirmedLine:
    """A line of a confirmed order: what was sold, how much, in which unit."""

    sale_line_id: int
    product_id: int
    quantity: Decimal
    uom_id: int
    name: str


@dataclass(frozen=True)
class SaleOrderConfirmed(Event):
    """A quotation became a sales order; its delivery was asked for in the same transaction.

    It carries the order's lines, so a listener needs no sales tables.
    """

    company_id: int
    order_id: int
    name: str
    partner_shipping_id: int
    confirmed_at: dt.datetime
    lines: tuple[ConfirmedLine, ...]


@dataclass(frozen=True)
class SaleOrderCancelled(Event):
    """A sales order was cancelled; its open deliveries were cancelled with it."""

    company_id: int
    order_id: int
