"""Perpetual inventory valuation in the books: one posted Stock-journal entry per change.

The stock area values its moves and calls `post_stock_valuation` in the same transaction. A
positive amount is value coming into stock (debit Stock Valuation), a negative one value
leaving it (credit Stock Valuation); the other side depends on the kind of change:

| kind       | counterpart                                     |
| ---------- | ----------------------------------------------- |
| receipt    | Stock Received Not Billed (cleared by the bill)  |
| delivery   | Cost of Goods Sold                               |
| adjustment | Expenses                                         |
| scrap      | Expenses                                         |
| opening    | Opening Balance (equity: stock the books start with) |
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from domain.accounting.chart import journal_of_type, role_account
from domain.accounting.ledger import create_entry, post_entry
from domain.accounting.models import JournalEntry, JournalType
from domain.core.services import company_currency, currency_rule
from domain.core.uow import UnitOfWork


class StockValuationKind(enum.Enum):
    """Why the stock value changed: goods from or back to vendors, to or back from customers,
    an inventory count, goods written off, or the count of the stock the books open with."""

    RECEIPT = "receipt"
    DELIVERY = "delivery"
    ADJUSTMENT = "adjustment"
    SCRAP = "scrap"
    OPENING = "opening"


#: The role of the account on the other side of Stock Valuation, per kind.
COUNTERPART_ROLE: dict[StockValuationKind, str] = {
    StockValuationKind.RECEIPT: "stock_received_not_billed",
    StockValuationKind.DELIVERY: "cogs",
    StockValuationKind.ADJUSTMENT: "expense",
    StockValuationKind.SCRAP: "expense",
    StockValuationKind.OPENING: "opening_balance",
}


async def post_stock_valuation(
    uow: UnitOfWork,
    company_id: int,
    *,
    amount: Decimal,
    kind: StockValuationKind,
    reference: str,
    date: dt.date,
) -> JournalEntry | None:
    """A posted, balanced Stock-journal entry moving `amount` (signed, company currency) into
    or out of Stock Valuation; nothing when the amount rounds to zero."""
    rule = currency_rule(await company_currency(uow, company_id))
    amount = rule.round(amount)
    if not amount:
        return None
    journal = await journal_of_type(uow, company_id, JournalType.STOCK)
    stock = await role_account(uow, company_id, "stock_valuation")
    counterpart = await role_account(uow, company_id, COUNTERPART_ROLE[kind])
    value = abs(amount)
    debit, credit = (stock, counterpart) if amount > 0 else (counterpart, stock)
    entry = await create_entry(
        uow,
        company_id,
        journal_id=journal.id,
        date=date,
        ref=reference,
        lines=[
            {"account_id": debit.id, "label": reference, "debit": value},
            {"account_id": credit.id, "label": reference, "credit": value},
        ],
    )
    return await post_entry(uow, company_id, entry.id)
