"""Reports computed in the database, one grouped statement each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select

from domain.accounting.models import Account, EntryState, JournalEntry, JournalLine

Execute = Callable[[Any], Awaitable[Any]]


@dataclass(frozen=True)
class TrialBalanceRow:
    """An account's opening balance, movements in the period and closing balance."""

    account_id: int
    opening: Decimal
    debit: Decimal
    credit: Decimal

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


async def trial_balance(
    execute: Execute, company_id: int, date_from: dt.date, date_to: dt.date
) -> list[TrialBalanceRow]:
    """Per account with posted lines up to `date_to`, by code; the closings sum to zero."""
    before = JournalLine.date < date_from
    rows = await execute(
        select(
            JournalLine.account_id,
            func.sum(case((before, JournalLine.balance), else_=0)),
            func.sum(case((before, 0), else_=JournalLine.debit)),
            func.sum(case((before, 0), else_=JournalLine.credit)),
        )
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .join(Account, Account.id == JournalLine.account_id)
        .where(
            JournalLine.company_id == company_id,
            JournalLine.date <= date_to,
            JournalEntry.state == EntryState.POSTED,
        )
        .group_by(JournalLine.account_id, Account.code)
        .order_by(Account.code)
    )
    return [
        TrialBalanceRow(account_id, Decimal(opening), Decimal(debit), Decimal(credit))
        for account_id, opening, debit, credit in rows
    ]
