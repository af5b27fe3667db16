"""What happened to pickings, told to the areas above inventory (sales)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.core.events import Event


@dataclass(frozen=True)
class SaleLineDelivered:
    """Goods of one sales order line that left (positive) or came back (negative)."""

    sale_line_id: int
    #: In the move's unit, which is the sales line's unit.
    quantity: Decimal


@dataclass(frozen=True)
class OrderPickings:
    """Where the pickings of one sales order stand after the change."""

    sale_order_id: int
    done: int
    open: int


@dataclass(frozen=True)
class PickingDone(Event):
    """A picking was validated: its goods moved."""

    company_id: int
    picking_id: int
    delivered: tuple[SaleLineDelivered, ...] = ()
    order: OrderPickings | None = None


@dataclass(frozen=True)
class PickingCancelled(Event):
    """A picking was cancelled: its reservations are released and its moves will not happen."""

    company_id: int
    picking_id: int
    order: OrderPickings | None = None
