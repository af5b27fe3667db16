"""Journal entries: drafting, posting with gap-free numbers, cancelling and reversing.

Posting takes a row lock on the entry, checks the balance to the cent and the company's lock
date, and numbers the entry per journal and year (`INV/2026/00001`). A posted entry is frozen:
it changes only through a reversal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TypedDict

from sqlalchemy import select

from domain.accounting.chart import settings_for
from domain.accounting.errors import AccountingError, AccountingErrorCode
from domain.accounting.events import EntryPosted
from domain.accounting.models import (
    Account,
    EntryState,
    Journal,
    JournalEntry,
    JournalLine,
    JournalType,
    LineKind,
    MoveType,
    Payment,
    PaymentStatus,
)
from domain.core.db import utcnow
from domain.core.money import ZERO, CurrencyRule
from domain.core.records import get_owned
from domain.core.services import (
    Conversion,
    company_currency,
    currency_rule,
    next_sequence_number,
)
from domain.core.uow import UnitOfWork
from domain.core.workflow import Workflow
from domain.partners.models import Partner

E = EntryState
ENTRY_WORKFLOW: Workflow[EntryState] = Workflow(
    {E.DRAFT: frozenset({E.POSTED, E.CANCEL})},
    lambda current, target: AccountingError(
        AccountingErrorCode.INVALID_TRANSITION,
        f"A journal entry cannot go from {current.value} to {target.value}.",
    ),
)


class LineValues(TypedDict, total=False):
    """A journal line as the caller gives it: a debit or a credit on an account, in the
    company's currency; `amount_currency` (signed) in `currency_id` when the line is in
    another currency (the entry's by default)."""

    account_id: int
    partner_id: int | None
    label: str | None
    debit: Decimal
    credit: Decimal
    date_maturity: dt.date | None
    kind: LineKind
    tax_id: int | None
    amount_currency: Decimal
    currency_id: int


def in_company_currency(conversion: Conversion, lines: Sequence[LineValues]) -> list[LineValues]:
    """`lines` given in the document's currency as company-currency lines that keep the
    document's amounts in `amount_currency`. Each line converts on its own, and what the
    rounding leaves over goes to the last receivable or payable line, so the entry balances
    in both currencies."""
    converted: list[LineValues] = []
    for values in lines:
        amount = conversion.rule.round(values.get("debit") or ZERO) - conversion.rule.round(
            values.get("credit") or ZERO
        )
        converted.append(
            _with_balance(
                {**values, "amount_currency": amount, "currency_id": conversion.currency.id},
                conversion.to_company(amount),
            )
        )
    gap = sum(((line["debit"] - line["credit"]) for line in converted), ZERO)
    if gap and converted:
        last = max(
            range(len(converted)),
            key=lambda i: (converted[i].get("kind") is LineKind.PAYMENT_TERM, i),
        )
        line = converted[last]
        converted[last] = _with_balance(line, line["debit"] - line["credit"] - gap)
    return converted


def _with_balance(values: LineValues, balance: Decimal) -> LineValues:
    return {**values, "debit": max(balance, ZERO), "credit": max(-balance, ZERO)}


async def get_entry(
    uow: UnitOfWork, company_id: int, entry_id: int, *, lock: bool = False
) -> JournalEntry:
    entry = await get_owned(uow.session, JournalEntry, entry_id, company_id, lock=lock)
    if entry is None:
        raise AccountingError(AccountingErrorCode.NOT_FOUND, "No such journal entry.", ["id"])
    return entry


async def get_journal(
    uow: UnitOfWork, company_id: int, journal_id: int, *, lock: bool = False
) -> Journal:
    journal = await get_owned(uow.session, Journal, journal_id, company_id, lock=lock)
    if journal is None or not journal.active:
        raise AccountingError(AccountingErrorCode.NOT_FOUND, "No such journal.", ["journal_id"])
    return journal


async def get_money_journal(
    uow: UnitOfWork, company_id: int, journal_id: int, *, lock: bool = False
) -> Journal:
    """A bank or cash journal with its account: where payments and statements go."""
    journal = await get_journal(uow, company_id, journal_id, lock=lock)
    if journal.type not in (JournalType.BANK, JournalType.CASH) or not journal.default_account_id:
        raise AccountingError(
            AccountingErrorCode.INVALID,
            f"{journal.code} is not a bank or cash journal with its account.",
            ["journal_id"],
        )
    return journal


async def get_partner(uow: UnitOfWork, company_id: int, partner_id: int, field: str) -> Partner:
    partner = await get_owned(uow.session, Partner, partner_id, company_id)
    if partner is None:
        raise AccountingError(AccountingErrorCode.NOT_FOUND, "No such partner.", [field])
    return partner


async def entry_lines(uow: UnitOfWork, entry_id: int) -> list[JournalLine]:
    rows = await uow.session.scalars(
        select(JournalLine)
        .where(JournalLine.entry_id == entry_id)
        .order_by(JournalLine.sequence, JournalLine.id)
    )
    return list(rows)


def check_draft(entry: JournalEntry) -> None:
    """Posted and cancelled entries are frozen."""
    if entry.state is not EntryState.DRAFT:
        raise AccountingError(
            AccountingErrorCode.POSTED,
            f"Entry {entry.number or entry.id} is {entry.state.value}; it cannot change. "
            "Reverse it instead.",
        )


async def add_lines(
    uow: UnitOfWork,
    entry: JournalEntry,
    lines: Sequence[LineValues],
    rule: CurrencyRule,
) -> list[JournalLine]:
    """Append `lines` to a draft entry, amounts rounded to the currency."""
    check_draft(entry)
    account_ids = {line.get("account_id") for line in lines}
    accounts = {
        account.id: account
        for account in await uow.session.scalars(
            select(Account).where(
                Account.id.in_([a for a in account_ids if a is not None]),
                Account.company_id == entry.company_id,
            )
        )
    }
    added = []
    for index, values in enumerate(lines):
        field = ["lines", str(index)]
        account = accounts.get(values.get("account_id") or 0)
        if account is None or not account.active:
            raise AccountingError(
                AccountingErrorCode.NOT_FOUND, "No such account.", [*field, "account_id"]
            )
        debit = rule.round(values.get("debit") or ZERO)
        credit = rule.round(values.get("credit") or ZERO)
        if debit < 0 or credit < 0 or (debit and credit):
            raise AccountingError(
                AccountingErrorCode.INVALID,
                "A line is either a debit or a credit, never negative.",
                [*field, "debit"],
            )
        partner_id = values.get("partner_id")
        if partner_id is not None:
            await get_partner(uow, entry.company_id, partner_id, "partner_id")
        balance = debit - credit
        amount_currency = values.get("amount_currency", balance)
        line = JournalLine(
            company_id=entry.company_id,
            entry_id=entry.id,
            sequence=10 * (index + 1),
            account_id=account.id,
            partner_id=partner_id if partner_id is not None else entry.partner_id,
            label=values.get("label"),
            date=entry.date,
            date_maturity=values.get("date_maturity") or entry.date,
            debit=debit,
            credit=credit,
            balance=balance,
            currency_id=values.get("currency_id", entry.currency_id),
            amount_currency=amount_currency,
            kind=values.get("kind", LineKind.OTHER),
            tax_id=values.get("tax_id"),
            amount_residual=balance if account.reconcile else ZERO,
            amount_residual_currency=amount_currency if account.reconcile else ZERO,
            reconciled=False,
        )
        uow.session.add(line)
        added.append(line)
    await uow.session.flush()
    return added


async def create_entry(
    uow: UnitOfWork,
    company_id: int,
    *,
    journal_id: int,
    date: dt.date,
    lines: Sequence[LineValues],
    ref: str | None = None,
    partner_id: int | None = None,
    move_type: MoveType = MoveType.ENTRY,
    currency_id: int | None = None,
) -> JournalEntry:
    """A draft entry with its lines; it need not balance until it is posted. Its lines are
    in the company's currency, or carry their own `amount_currency` in `currency_id`."""
    journal = await get_journal(uow, company_id, journal_id)
    if partner_id is not None:
        await get_partner(uow, company_id, partner_id, "partner_id")
    currency = await company_currency(uow, company_id)
    entry = JournalEntry(
        company_id=company_id,
        journal_id=journal.id,
        date=date,
        ref=ref,
        partner_id=partner_id,
        currency_id=currency_id or currency.id,
        move_type=move_type,
        state=EntryState.DRAFT,
    )
    uow.session.add(entry)
    await uow.session.flush()
    await add_lines(uow, entry, lines, currency_rule(currency))
    return entry


async def check_lock_date(uow: UnitOfWork, company_id: int, date: dt.date) -> None:
    settings = await settings_for(uow, company_id)
    if settings.lock_date is not None and date <= settings.lock_date:
        raise AccountingError(
            AccountingErrorCode.LOCKED_PERIOD,
            f"The books are locked up to {settings.lock_date.isoformat()}; "
            f"nothing can be posted on {date.isoformat()}.",
            ["date"],
        )


async def first_open_date(uow: UnitOfWork, company_id: int, date: dt.date) -> dt.date:
    """`date`, or the day after the lock date when `date` is locked: where an entry the
    system books for an earlier event (an exchange difference, its reversal) goes."""
    settings = await settings_for(uow, company_id)
    if settings.lock_date is not None and date <= settings.lock_date:
        return settings.lock_date + dt.timedelta(days=1)
    return date


async def post_entry(uow: UnitOfWork, company_id: int, entry_id: int) -> JournalEntry:
    """Post a draft entry: balanced, after the lock date, numbered gap-free."""
    entry = await get_entry(uow, company_id, entry_id, lock=True)
    entry.state = ENTRY_WORKFLOW.check(entry.state, EntryState.POSTED)
    lines = await entry_lines(uow, entry.id)
    if not lines:
        raise AccountingError(AccountingErrorCode.INVALID, "An entry without lines cannot post.")
    debit = sum((line.debit for line in lines), ZERO)
    credit = sum((line.credit for line in lines), ZERO)
    if debit != credit:
        raise AccountingError(
            AccountingErrorCode.UNBALANCED,
            f"Debits ({debit:.2f}) and credits ({credit:.2f}) differ by {debit - credit:.2f}.",
        )
    if debit == ZERO:
        raise AccountingError(AccountingErrorCode.INVALID, "An entry of zero cannot post.")
    await check_lock_date(uow, company_id, entry.date)
    journal = await uow.session.get(Journal, entry.journal_id)
    assert journal is not None
    year = entry.date.year
    entry.number = await next_sequence_number(
        uow, company_id, f"journal.{journal.code}.{year}", prefix=f"{journal.code}/{year}/"
    )
    entry.posted_at = utcnow()
    await uow.session.flush()
    await uow.publish(EntryPosted(company_id=company_id, entry_id=entry.id, number=entry.number))
    return entry


async def cancel_entry(uow: UnitOfWork, company_id: int, entry_id: int) -> JournalEntry:
    """Cancel a draft entry; posted ones are reversed instead."""
    entry = await get_entry(uow, company_id, entry_id, lock=True)
    if entry.state is EntryState.POSTED:
        check_draft(entry)
    entry.state = ENTRY_WORKFLOW.check(entry.state, EntryState.CANCEL)
    await uow.session.flush()
    return entry


async def reverse_entry(
    uow: UnitOfWork,
    company_id: int,
    entry_id: int,
    *,
    date: dt.date | None = None,
    ref: str | None = None,
) -> JournalEntry:
    """Reverse a posted entry by hand. Invoices are reversed by credit notes, payments are
    cancelled, and exchange differences go with the match that caused them."""
    from domain.accounting.reconcile import check_not_exchange_difference

    original = await get_entry(uow, company_id, entry_id, lock=True)
    if original.move_type is not MoveType.ENTRY:
        raise AccountingError(
            AccountingErrorCode.INVALID, "Invoices and bills are reversed by credit notes."
        )
    if await uow.session.scalar(
        select(Payment.id).where(
            Payment.entry_id == original.id, Payment.status == PaymentStatus.POSTED
        )
    ):
        raise AccountingError(
            AccountingErrorCode.INVALID,
            f"{original.number} is a payment's entry: cancel the payment instead.",
            ["id"],
        )
    await check_not_exchange_difference(uow, original)
    return await post_reversal(uow, original, date=date, ref=ref)


async def post_reversal(
    uow: UnitOfWork,
    original: JournalEntry,
    *,
    date: dt.date | None = None,
    ref: str | None = None,
) -> JournalEntry:
    """Post the mirror of a posted, locked entry (debits become credits), matched with it on
    reconcilable accounts; an entry is reversed once."""
    from domain.accounting.reconcile import reconcile_lines

    company_id = original.company_id
    if original.state is not EntryState.POSTED:
        raise AccountingError(
            AccountingErrorCode.INVALID_TRANSITION, "Only posted entries can be reversed."
        )
    # The original is locked: a reversal committed meanwhile is seen, one started now waits.
    earlier = await uow.session.scalar(
        select(JournalEntry.number).where(
            JournalEntry.reversed_entry_id == original.id,
            JournalEntry.state == EntryState.POSTED,
        )
    )
    if earlier is not None:
        raise AccountingError(
            AccountingErrorCode.INVALID_TRANSITION,
            f"{original.number} is reversed already by {earlier}.",
            ["id"],
        )
    lines = await entry_lines(uow, original.id)
    reversal = await create_entry(
        uow,
        company_id,
        journal_id=original.journal_id,
        date=date or original.date,
        ref=ref or f"Reversal of {original.number}",
        partner_id=original.partner_id,
        currency_id=original.currency_id,
        lines=[
            {
                "account_id": line.account_id,
                "partner_id": line.partner_id,
                "label": line.label,
                "debit": line.credit,
                "credit": line.debit,
                "date_maturity": line.date_maturity,
                "kind": line.kind,
                "tax_id": line.tax_id,
                "amount_currency": -line.amount_currency,
                "currency_id": line.currency_id,
            }
            for line in lines
        ],
    )
    reversal.reversed_entry_id = original.id
    await post_entry(uow, company_id, reversal.id)
    mirrored = await entry_lines(uow, reversal.id)
    for before, after in zip(lines, mirrored, strict=True):
        if (before.amount_residual or before.amount_residual_currency) and not before.reconciled:
            await reconcile_lines(uow, company_id, [before, after])
    return reversal
