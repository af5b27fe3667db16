"""Reports computed in the database: grouped statements and reads that walk an index in
order, never a loop of statements over rows.

Every report reads posted lines only, in the company's currency (`balance` is debit − credit).
The trial balance, the general ledger and the partner ledger are ledgers: posted lines in
sections (one per account, or one per partner) with an opening balance before the period, the
period's debits and credits, and the period's lines with the running balance after each one.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    func,
    or_,
    select,
    tuple_,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import aliased

from domain.accounting.errors import AccountingError, AccountingErrorCode
from domain.accounting.models import (
    ASSET_TYPES,
    EXPENSE_TYPES,
    INCOME_TYPES,
    LIABILITY_TYPES,
    RECONCILABLE_TYPES,
    Account,
    AccountType,
    EntryState,
    JournalEntry,
    JournalLine,
    PartialReconcile,
)
from domain.core.models import MONEY
from domain.core.money import ZERO
from domain.core.records import check_owned
from domain.partners.models import Partner

Execute = Callable[[Any], Awaitable[Any]]


def _total(amounts: Any) -> Any:
    """SUM of money typed as money: exact decimals on every dialect (SQLite sums floats, the
    type rounds them back to the column's scale)."""
    return type_coerce(func.sum(amounts), MONEY)


def _posted(company_id: int, *columns: Any) -> Select[Any]:
    """`columns` of the company's posted journal lines, with their entry and account joined."""
    return (
        select(*columns)
        .select_from(JournalLine)
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .join(Account, Account.id == JournalLine.account_id)
        .where(JournalLine.company_id == company_id, JournalEntry.state == EntryState.POSTED)
    )


def check_period(date_from: dt.date, date_to: dt.date) -> None:
    """A period ends on or after the day it starts."""
    if date_from > date_to:
        raise AccountingError(
            AccountingErrorCode.INVALID,
            f"The period starts on {date_from.isoformat()}, after its end ({date_to.isoformat()}).",
            ["date_from"],
        )


@dataclass(frozen=True)
class Ledger(ABC):
    """The company's posted lines up to `date_to`, in sections; the period starts `date_from`.

    A subclass says what a section is (`key`, the line column the sections group by), which
    lines belong (`conditions`) and in which order the sections come.
    """

    company_id: int
    date_from: dt.date
    date_to: dt.date

    @property
    @abstractmethod
    def key(self) -> Any: ...

    @abstractmethod
    def conditions(self) -> list[ColumnElement[bool]]: ...

    @abstractmethod
    def order(self) -> list[Any]: ...

    async def check(self, execute: Execute) -> None:
        """Refuse a period that ends before it starts."""
        check_period(self.date_from, self.date_to)


@dataclass(frozen=True)
class AccountLedger(Ledger):
    """A section per account (all with posted lines, or `account_ids`), by code."""

    account_ids: tuple[int, ...] | None = None

    @property
    def key(self) -> Any:
        return JournalLine.account_id

    def conditions(self) -> list[ColumnElement[bool]]:
        return [] if self.account_ids is None else [JournalLine.account_id.in_(self.account_ids)]

    def order(self) -> list[Any]:
        return [Account.code]

    async def check(self, execute: Execute) -> None:
        await super().check(execute)
        await check_owned(execute, Account, self.account_ids or (), self.company_id, "account_ids")


@dataclass(frozen=True)
class PartnerLedger(Ledger):
    """A section per partner (lines without one last) on receivable and payable accounts,
    or only `account_types` of them; all partners with such lines, or `partner_ids`."""

    account_types: frozenset[AccountType] = RECONCILABLE_TYPES
    partner_ids: tuple[int, ...] | None = None

    @property
    def key(self) -> Any:
        return JournalLine.partner_id

    def conditions(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = [Account.account_type.in_(self.account_types)]
        if self.partner_ids is not None:
            conditions.append(JournalLine.partner_id.in_(self.partner_ids))
        return conditions

    def order(self) -> list[Any]:
        return [JournalLine.partner_id.is_(None), JournalLine.partner_id]

    async def check(self, execute: Execute) -> None:
        await super().check(execute)
        if not self.account_types or not self.account_types <= RECONCILABLE_TYPES:
            raise AccountingError(
                AccountingErrorCode.INVALID,
                "A partner ledger reads receivable and payable accounts only.",
                ["account_types"],
            )
        await check_owned(execute, Partner, self.partner_ids or (), self.company_id, "partner_ids")


@dataclass(frozen=True)
class LedgerTotals:
    """A section's balance before the period, its debits and credits in the period, and how
    many lines it has in the period."""

    key: int | None
    opening: Decimal
    debit: Decimal
    credit: Decimal
    lines: int

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


async def ledger_totals(execute: Execute, ledger: Ledger) -> list[LedgerTotals]:
    """The totals of each section with posted lines up to `date_to`, in the ledger's order."""
    await ledger.check(execute)
    before = JournalLine.date < ledger.date_from
    rows = await execute(
        _posted(
            ledger.company_id,
            ledger.key,
            _total(case((before, JournalLine.balance), else_=0)),
            _total(case((before, 0), else_=JournalLine.debit)),
            _total(case((before, 0), else_=JournalLine.credit)),
            func.count(JournalLine.id).filter(~before),
        )
        .where(JournalLine.date <= ledger.date_to, *ledger.conditions())
        .group_by(ledger.key, *ledger.order())
        .order_by(*ledger.order())
    )
    return [
        LedgerTotals(key, Decimal(opening), Decimal(debit), Decimal(credit), int(lines))
        for key, opening, debit, credit, lines in rows
    ]


async def trial_balance(
    execute: Execute, company_id: int, date_from: dt.date, date_to: dt.date
) -> list[LedgerTotals]:
    """Per account with posted lines up to `date_to`, by code; the closings sum to zero."""
    return await ledger_totals(execute, AccountLedger(company_id, date_from, date_to))


#: Where a line stands in a ledger: its date, its entry, then the line itself.
Position = tuple[dt.date, int, int]

#: The columns of a line's position, which ledger pages are read in and cut at.
_POSITION = (JournalLine.date, JournalLine.entry_id, JournalLine.id)


@dataclass(frozen=True)
class LinePage:
    """Which lines of each section to read: `size` of them plus one (which tells whether more
    follow), after and before the given positions, counted from the last when `backward`."""

    size: int
    after: Position | None = None
    before: Position | None = None
    backward: bool = False


@dataclass(frozen=True)
class LedgerLine:
    """A posted line of a ledger section, with the section's balance after it."""

    id: int
    key: int | None
    date: dt.date
    entry_id: int
    entry_number: str | None
    journal_id: int
    account_id: int
    partner_id: int | None
    label: str | None
    debit: Decimal
    credit: Decimal
    balance: Decimal
    amount_currency: Decimal
    currency_id: int

    @property
    def position(self) -> Position:
        return (self.date, self.entry_id, self.id)


def _period_lines(ledger: Ledger, *columns: Any) -> Select[Any]:
    """`columns` of the ledger's posted lines in the period."""
    return _posted(ledger.company_id, *columns).where(
        JournalLine.date >= ledger.date_from,
        JournalLine.date <= ledger.date_to,
        *ledger.conditions(),
    )


def _among(column: Any, keys: Collection[int | None]) -> ColumnElement[bool]:
    """`column` is one of `keys`, where a None key stands for NULL."""
    known = column.in_([key for key in keys if key is not None])
    return or_(known, column.is_(None)) if None in keys else known


def _in_section(ledger: Ledger, key: int | None) -> ColumnElement[bool]:
    """The line belongs to the section `key`; None is the section of lines without one."""
    return ledger.key.is_(None) if key is None else ledger.key == key


def _in_order(columns: Sequence[Any], page: LinePage) -> list[Any]:
    """`columns` sorted the way `page` reads: ascending, or descending when backward."""
    return [column.desc() if page.backward else column.asc() for column in columns]


async def _balances_at_start(
    execute: Execute, ledger: Ledger, sections: Collection[LedgerTotals], page: LinePage
) -> dict[int | None, Decimal]:
    """Each section's balance where `page` starts reading its lines.

    Forward, that is the balance before the page's first line: the opening, plus the lines up
    to the `after` cursor. Backward, the balance after the page's last line: the closing,
    less the lines from the `before` cursor on. The lines passed over are summed in one
    grouped statement, run only when there is such a cursor.
    """
    balances = {
        section.key: section.closing if page.backward else section.opening for section in sections
    }
    cursor = page.before if page.backward else page.after
    if cursor is None:
        return balances
    position = tuple_(*_POSITION)
    passed = position >= tuple_(*cursor) if page.backward else position <= tuple_(*cursor)
    rows = await execute(
        _period_lines(ledger, ledger.key, _total(JournalLine.balance))
        .where(_among(ledger.key, balances), passed)
        .group_by(ledger.key)
    )
    for key, amount in rows:
        balances[key] += -Decimal(amount) if page.backward else Decimal(amount)
    return balances


async def ledger_lines(
    execute: Execute, ledger: Ledger, sections: Collection[LedgerTotals], page: LinePage
) -> dict[int | None, list[LedgerLine]]:
    """A page of the period's lines of each of `sections` (as `ledger_totals` gives them), by
    date, entry and line, each with the section's balance after it.

    Each section's page is a sub-select bounded by the cursors and limited to the page, so
    it walks the index on the section's line positions and stops at the page's end; the
    sub-selects of all sections make one statement. The running balance starts from
    `_balances_at_start` and moves by each line read.
    """
    if not sections:
        return {}
    position = tuple_(*_POSITION)
    bounds = []
    if page.after is not None:
        bounds.append(position > tuple_(*page.after))
    if page.before is not None:
        bounds.append(position < tuple_(*page.before))
    section_lines = _period_lines(
        ledger,
        JournalLine.id,
        ledger.key.label("key"),
        JournalLine.date,
        JournalLine.entry_id,
        JournalEntry.number,
        JournalEntry.journal_id,
        JournalLine.account_id,
        JournalLine.partner_id,
        JournalLine.label,
        JournalLine.debit,
        JournalLine.credit,
        JournalLine.balance,
        JournalLine.amount_currency,
        JournalLine.currency_id,
    ).where(*bounds)
    balances = await _balances_at_start(execute, ledger, sections, page)
    read = union_all(
        *(
            select(
                section_lines.where(_in_section(ledger, section.key))
                .order_by(*_in_order(_POSITION, page))
                .limit(page.size + 1)
                .subquery()
            )
            for section in sections
        )
    ).subquery()
    rows = await execute(
        select(read).order_by(*_in_order((read.c.date, read.c.entry_id, read.c.id), page))
    )
    pages: dict[int | None, list[LedgerLine]] = {section.key: [] for section in sections}
    for row in rows:
        if page.backward:
            balance = balances[row.key]
            balances[row.key] -= row.balance
        else:
            balances[row.key] += row.balance
            balance = balances[row.key]
        pages[row.key].append(
            LedgerLine(
                id=row.id,
                key=row.key,
                date=row.date,
                entry_id=row.entry_id,
                entry_number=row.number,
                journal_id=row.journal_id,
                account_id=row.account_id,
                partner_id=row.partner_id,
                label=row.label,
                debit=row.debit,
                credit=row.credit,
                balance=balance,
                amount_currency=row.amount_currency,
                currency_id=row.currency_id,
            )
        )
    return pages


@dataclass(frozen=True)
class AccountAmount:
    """An account's amount in a financial statement, signed as the statement shows it."""

    account_id: int
    amount: Decimal


@dataclass(frozen=True)
class StatementSection:
    """Accounts of a financial statement shown together, by code, and their total."""

    accounts: tuple[AccountAmount, ...]

    @property
    def total(self) -> Decimal:
        return sum((account.amount for account in self.accounts), ZERO)


#: (account, its type, its balance) of each account with posted lines, by code.
Balances = Sequence[tuple[int, AccountType, Decimal]]


async def _balances(execute: Execute, company_id: int, *conditions: Any) -> Balances:
    rows = await execute(
        _posted(
            company_id, JournalLine.account_id, Account.account_type, _total(JournalLine.balance)
        )
        .where(*conditions)
        .group_by(JournalLine.account_id, Account.account_type, Account.code)
        .order_by(Account.code)
    )
    return [(account_id, kind, Decimal(balance)) for account_id, kind, balance in rows]


def _section(balances: Balances, types: Collection[AccountType], sign: int) -> StatementSection:
    """The accounts of `types`; `sign` −1 shows credit balances (income, liabilities) positive."""
    return StatementSection(
        tuple(
            AccountAmount(account_id, balance * sign)
            for account_id, account_type, balance in balances
            if account_type in types
        )
    )


@dataclass(frozen=True)
class ProfitAndLoss:
    """Income and expenses of a period, income positive and expenses positive."""

    income: StatementSection
    cost_of_revenue: StatementSection
    other_income: StatementSection
    expenses: StatementSection

    @property
    def gross_profit(self) -> Decimal:
        return self.income.total - self.cost_of_revenue.total

    @property
    def net_profit(self) -> Decimal:
        return self.gross_profit + self.other_income.total - self.expenses.total


async def profit_and_loss(
    execute: Execute, company_id: int, date_from: dt.date, date_to: dt.date
) -> ProfitAndLoss:
    """Operating income less cost of revenue is the gross profit; plus other income, less
    the other expenses, the net profit."""
    check_period(date_from, date_to)
    balances = await _balances(
        execute,
        company_id,
        JournalLine.date >= date_from,
        JournalLine.date <= date_to,
        Account.account_type.in_(INCOME_TYPES | EXPENSE_TYPES),
    )
    return ProfitAndLoss(
        income=_section(balances, {AccountType.INCOME}, -1),
        cost_of_revenue=_section(balances, {AccountType.EXPENSE_DIRECT_COST}, 1),
        other_income=_section(balances, {AccountType.INCOME_OTHER}, -1),
        expenses=_section(balances, {AccountType.EXPENSE}, 1),
    )


@dataclass(frozen=True)
class BalanceSheet:
    """Assets against liabilities and equity on a day, each shown positive when normal.

    The earnings not yet closed into an equity account (all income less all expenses up to
    the day) belong to equity, so the total assets always equal liabilities plus equity.
    """

    assets: StatementSection
    liabilities: StatementSection
    equity: StatementSection
    unallocated_earnings: Decimal

    @property
    def total_equity(self) -> Decimal:
        return self.equity.total + self.unallocated_earnings

    @property
    def total_liabilities_and_equity(self) -> Decimal:
        return self.liabilities.total + self.total_equity


async def balance_sheet(execute: Execute, company_id: int, as_of: dt.date) -> BalanceSheet:
    """Every posted line up to `as_of`, by account type."""
    balances = await _balances(execute, company_id, JournalLine.date <= as_of)
    earnings = _section(balances, INCOME_TYPES | EXPENSE_TYPES, -1)
    return BalanceSheet(
        assets=_section(balances, ASSET_TYPES, 1),
        liabilities=_section(balances, LIABILITY_TYPES, -1),
        equity=_section(balances, {AccountType.EQUITY}, -1),
        unallocated_earnings=earnings.total,
    )


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
    something unmatched on that day: its residual today plus what matches with documents
    dated after `as_of` settled since. It is due on its maturity date (its date when it has
    none). Receivables are positive; payables are shown positive too.
    """
    later = _matched_after(company_id, as_of)
    due = func.coalesce(JournalLine.date_maturity, JournalLine.date)
    sign = -1 if account_type is AccountType.LIABILITY_PAYABLE else 1
    residual = (JournalLine.amount_residual + func.coalesce(later.c.amount, 0)) * sign
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
        _posted(company_id, JournalLine.partner_id, *buckets)
        .outerjoin(later, later.c.line_id == JournalLine.id)
        .where(
            JournalLine.date <= as_of,
            Account.account_type == account_type,
            or_(JournalLine.amount_residual != 0, later.c.line_id.is_not(None)),
        )
        .group_by(JournalLine.partner_id)
        .order_by(JournalLine.partner_id)
    )
    return [
        AgedRow(partner_id, *(Decimal(value) for value in values)) for partner_id, *values in rows
    ]


def _matched_after(company_id: int, as_of: dt.date) -> Any:
    """Per line, what matches with lines dated after `as_of` took off its residual (signed
    like the line): adding it back gives the line's residual on `as_of`."""
    counterpart = aliased(JournalLine)
    sides = [
        select(line_side.label("line_id"), (amount_sign * PartialReconcile.amount).label("amount"))
        .join(counterpart, counterpart.id == other_side)
        .where(PartialReconcile.company_id == company_id, counterpart.date > as_of)
        for line_side, other_side, amount_sign in (
            (PartialReconcile.debit_line_id, PartialReconcile.credit_line_id, 1),
            (PartialReconcile.credit_line_id, PartialReconcile.debit_line_id, -1),
        )
    ]
    matches = union_all(*sides).subquery()
    return (
        select(matches.c.line_id, _total(matches.c.amount).label("amount"))
        .group_by(matches.c.line_id)
        .subquery()
    )
