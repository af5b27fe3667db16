"""What happened in the ledger, told to the areas above accounting.

Events echo the origins of the invoice lines they tell about; each area above follows them
filtered on its own origin kinds.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.core.events import Event
from domain.core.origins import Origin


@dataclass(frozen=True)
class ReleasedQuantity:
    """A quantity of an invoice line with an origin that no longer counts as invoiced, in the
    line's unit (its origin line's)."""

    origin: Origin
    quantity: Decimal


@dataclass(frozen=True)
class InvoicedQuantitiesReleased(Event):
    """Invoiced quantities no longer count: a credit note was issued or a draft cancelled."""

    company_id: int
    entry_id: int
    lines: tuple[ReleasedQuantity, ...]


@dataclass(frozen=True)
class EntryPosted(Event):
    """A journal entry (an invoice, a bill, a payment ...) was posted with its number."""

    company_id: int
    entry_id: int
    number: str
