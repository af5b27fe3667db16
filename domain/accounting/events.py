"""What happened in the ledger, told to the areas above accounting (sales)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.core.events import Event


@dataclass(frozen=True)
class SaleLineQuantity:
    """An invoiced quantity of one sales order line, in the line's unit."""

    sale_line_id: int
    quantity: Decimal


@dataclass(frozen=True)
class InvoicedQuantitiesReleased(Event):
    """Invoiced quantities no longer count: a credit note was issued or a draft cancelled."""

    company_id: int
    entry_id: int
    lines: tuple[SaleLineQuantity, ...]


@dataclass(frozen=True)
class EntryPosted(Event):
    """A journal entry (an invoice, a bill, a payment ...) was posted with its number."""

    company_id: int
    entry_id: int
    number: str
