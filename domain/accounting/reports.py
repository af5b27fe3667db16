"""Reports computed in the database, one grouped statement each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select, type_coerce

from domain.accounting.models import (
    Account,
    AccountType,
    EntryState,
    JournalEntry,
    JournalLine,
)
from domain.core.models import MONEY

Execute = Callable[[Any], Awaitable[Any]]


def _total(amounts: Any) -> Any:
    """SUM of money typed as money: exact decimals on every dialect (SQLite sums floats, the
    type rounds them back to the column's scale)."""
    return type_coerce(func.sum(amounts), MONEY)


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
            _total(case((before, JournalLine.balance), else_=0)),
            _total(case((before, 0), else_=JournalLine.debit)),
            _total(case((before, 0), else_=JournalLine.credit)),
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


@dataclass(frozen=True)
class AgedRow:
    """A partner's open amounts by how long they are overdue, as of a date."""

    partner_id: int | None
    not_due: Decimal
    days_1_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    older: Decimal

    @property
    def total(self) -> Decimal:
        return self.not_due + self.days_1_30 + self.days_31_60 + self.days_61_90 + self.older


#: Upper bounds (days overdue, inclusive) of the aged buckets after "not due"; the rest is older.
AGED_BUCKETS = (30, 60, 90)


async def aged_balance(
    execute: Execute, company_id: int, as_of: dt.date, account_type: AccountType
) -> list[AgedRow]:
    """Open receivable (or payable) amounts per partner, in buckets by days past due.

    An open line is a posted line on an account of `account_type`, dated up to `as_of`, with
    an unmatched residual; it is due on its maturity date (its date when it has none).
    Receivables are positive; payables are shown positive too.
    """
    due = func.coalesce(JournalLine.date_maturity, JournalLine.date)
    sign = -1 if account_type is AccountType.LIABILITY_PAYABLE else 1
    residual = JournalLine.amount_residual * sign
    # Bucket edges as dates, so the query compares dates the same way on every dialect:
    # 1–30 days overdue means due in [as_of − 30 days, as_of).
    edges = [as_of - dt.timedelta(days=days) for days in AGED_BUCKETS]
    buckets = [_total(case((due >= as_of, residual), else_=0))]
    newer = as_of
    for edge in edges:
        buckets.append(_total(case(((due < newer) & (due >= edge), residual), else_=0)))
        newer = edge
    buckets.append(_total(case((due < newer, residual), else_=0)))
    rows = await execute(
        select(JournalLine.partner_id, *buckets)
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .join(Account, Account.id == JournalLine.account_id)
        .where(
            JournalLine.company_id == company_id,
            JournalLine.date <= as_of,
            JournalEntry.state == EntryState.POSTED,
            Account.account_type == account_type,
            JournalLine.amount_residual != 0,
        )
        .group_by(JournalLine.partner_id)
        .order_by(JournalLine.partner_id)
    )
    return [
        AgedRow(partner_id, *(Decimal(value) for value in values)) for partner_id, *values in rows
    ]
