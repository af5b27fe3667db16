"""Matching debits with credits on receivable and payable accounts, and undoing it.

A `PartialReconcile` records how much of a debit line a credit line settles; each line's
`amount_residual` is what remains unmatched. An invoice's residual and payment state follow
from its receivable (or payable) lines.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, case, delete, func, or_, select

from domain.accounting import ledger
from domain.accounting.chart import journal_of_type, role_account
from domain.accounting.errors import AccountingError, AccountingErrorCode
from domain.accounting.models import (
    INVOICE_TYPES,
    Account,
    EntryState,
    JournalEntry,
    JournalLine,
    JournalType,
    LineKind,
    PartialReconcile,
    PaymentState,
)
from domain.core.models import Currency
from domain.core.money import ZERO, CurrencyRule
from domain.core.services import company_currency, currency_rule
from domain.core.uow import UnitOfWork


async def reconcile_lines(
    uow: UnitOfWork, company_id: int, lines: Sequence[JournalLine]
) -> list[PartialReconcile]:
    """Match the open debit lines with the open credit lines, in the order given.

    Every line must be posted, on the same reconcilable account, and belong to the company.
    Two lines in the same foreign currency are matched in that currency; if the amount is
    worth more in the company's currency on one side (the rate moved between the invoice and
    its payment), the difference is booked as an exchange gain or loss and matched too, so a
    line settled in its currency is settled in the company's currency as well.
    """
    if not lines:
        return []
    account_ids = {line.account_id for line in lines}
    if len(account_ids) != 1 or any(line.company_id != company_id for line in lines):
        raise AccountingError(
            AccountingErrorCode.NOT_RECONCILABLE, "Only lines of one account can be matched."
        )
    account = await uow.session.get(Account, account_ids.pop())
    assert account is not None
    if not account.reconcile:
        raise AccountingError(
            AccountingErrorCode.NOT_RECONCILABLE, f"Account {account.code} is not reconcilable."
        )
    states = set(
        await uow.session.scalars(
            select(JournalEntry.state).where(JournalEntry.id.in_({line.entry_id for line in lines}))
        )
    )
    if states != {EntryState.POSTED}:
        raise AccountingError(
            AccountingErrorCode.NOT_RECONCILABLE, "Only posted entries can be matched."
        )
    own = await company_currency(uow, company_id)
    rules = {
        currency.id: currency_rule(currency)
        for currency in await uow.session.scalars(
            select(Currency).where(Currency.id.in_({line.currency_id for line in lines}))
        )
    }
    matching = _Matching(currency_rule(own), rules)
    debits = [line for line in lines if open_sign(line) > 0]
    credits = [line for line in lines if open_sign(line) < 0]
    for debit in debits:
        for credit in credits:
            if open_sign(debit) <= 0:
                break
            if open_sign(credit) < 0:
                matching.match(company_id, debit, credit)
    uow.session.add_all(matching.made)
    await uow.session.flush()
    last_match: dict[int, int] = {}
    for index, partial in enumerate(matching.made):
        last_match[partial.debit_line_id] = last_match[partial.credit_line_id] = index
    for line in lines:
        settled_in_currency = line.amount_residual and not line.amount_residual_currency
        if line.id in last_match and line.currency_id != own.id and settled_in_currency:
            # What is left in the company's currency is an exchange difference.
            matching.exchange[last_match[line.id]].append((line, line.amount_residual))
            line.amount_residual = ZERO
    for index, differences in sorted(matching.exchange.items()):
        await _book_exchange_difference(uow, company_id, matching.made[index], differences)
    for line in lines:
        line.reconciled = line.amount_residual == 0 and line.amount_residual_currency == 0
    await uow.session.flush()
    await refresh_payment_states(uow, {line.entry_id for line in lines})
    return matching.made


def open_sign(line: JournalLine) -> int:
    """1 for a line open on the debit side, −1 on the credit side, 0 when settled. A line is
    open while something is left in either currency."""
    amount = line.amount_residual or line.amount_residual_currency
    return (amount > 0) - (amount < 0)


def open_toward(sign: int) -> ColumnElement[bool]:
    """SQL for lines open on the debit side (`sign` 1) or the credit side (−1)."""
    return or_(
        JournalLine.amount_residual * sign > 0,
        and_(JournalLine.amount_residual == 0, JournalLine.amount_residual_currency * sign > 0),
    )


#: A line and the company-currency amount, signed like its residual, that no currency amount
#: backs any more: an exchange difference to book against it.
Difference = tuple[JournalLine, Decimal]


@dataclass
class _Matching:
    """The matches made so far, and the exchange differences each of them leaves."""

    company_rule: CurrencyRule
    rules: dict[int, CurrencyRule]
    made: list[PartialReconcile] = field(default_factory=list)
    #: Per match (its index in `made`): the differences it leaves.
    exchange: dict[int, list[Difference]] = field(default_factory=lambda: defaultdict(list))

    def match(self, company_id: int, debit: JournalLine, credit: JournalLine) -> None:
        differences: list[Difference] = []
        if (
            debit.currency_id == credit.currency_id
            and debit.amount_residual_currency > 0
            and credit.amount_residual_currency < 0
        ):
            amount_currency = min(debit.amount_residual_currency, -credit.amount_residual_currency)
            debit_value = self._value(debit, amount_currency)
            credit_value = -self._value(credit, -amount_currency)
            amount = min(debit_value, credit_value)
            debit_currency = credit_currency = amount_currency
            if debit_value > amount:
                differences.append((debit, debit_value - amount))
            if credit_value > amount:
                differences.append((credit, amount - credit_value))
        else:
            amount = min(debit.amount_residual, -credit.amount_residual)
            if amount <= 0:
                return
            debit_value, credit_value = amount, amount
            debit_currency = self._in_currency(debit, amount)
            credit_currency = -self._in_currency(credit, -amount)
        if differences:
            self.exchange[len(self.made)] = differences
        self.made.append(
            PartialReconcile(
                company_id=company_id,
                debit_line_id=debit.id,
                credit_line_id=credit.id,
                amount=amount,
                debit_amount_currency=debit_currency,
                credit_amount_currency=credit_currency,
            )
        )
        debit.amount_residual -= debit_value
        debit.amount_residual_currency -= debit_currency
        credit.amount_residual += credit_value
        credit.amount_residual_currency += credit_currency

    def _value(self, line: JournalLine, amount_currency: Decimal) -> Decimal:
        """What `amount_currency` of the line's open part is worth in the company's currency,
        at the line's own rate."""
        if amount_currency == line.amount_residual_currency:
            return line.amount_residual
        return self.company_rule.round(
            amount_currency * line.amount_residual / line.amount_residual_currency
        )

    def _in_currency(self, line: JournalLine, amount: Decimal) -> Decimal:
        """The part of the line's open currency amount that `amount` (company currency)
        settles."""
        if amount == line.amount_residual or not line.amount_residual_currency:
            return line.amount_residual_currency
        return self.rules[line.currency_id].round(
            amount * line.amount_residual_currency / line.amount_residual
        )


async def _book_exchange_difference(
    uow: UnitOfWork,
    company_id: int,
    cause: PartialReconcile,
    differences: Sequence[Difference],
) -> JournalEntry:
    """Post an entry clearing each line's difference against the exchange gain or loss
    account, and match it with the line, on behalf of the match `cause`: undoing that match
    reverses this entry. It is dated with the later of the matched lines (or just after the
    lock date)."""
    loss = await role_account(uow, company_id, "exchange_loss")
    gain = await role_account(uow, company_id, "exchange_gain")
    journal = await journal_of_type(uow, company_id, JournalType.GENERAL)
    matched = await uow.session.scalars(
        select(JournalLine.date).where(
            JournalLine.id.in_([cause.debit_line_id, cause.credit_line_id])
        )
    )
    date = await ledger.first_open_date(uow, company_id, max(matched))
    values: list[ledger.LineValues] = []
    for line, amount in differences:
        values.append(
            {
                "account_id": line.account_id,
                "partner_id": line.partner_id,
                "label": "Exchange difference",
                "debit": max(-amount, ZERO),
                "credit": max(amount, ZERO),
                "currency_id": line.currency_id,
                "amount_currency": ZERO,
            }
        )
        values.append(
            {
                "account_id": (loss if amount > 0 else gain).id,
                "partner_id": line.partner_id,
                "label": "Exchange difference",
                "debit": max(amount, ZERO),
                "credit": max(-amount, ZERO),
            }
        )
    entry = await ledger.create_entry(
        uow, company_id, journal_id=journal.id, date=date, ref="Exchange difference", lines=values
    )
    await ledger.post_entry(uow, company_id, entry.id)
    # Every other line of the entry is on the matched account, in the order of `differences`.
    booked = (await ledger.entry_lines(uow, entry.id))[::2]
    for (line, amount), difference in zip(differences, booked, strict=True):
        debit, credit = (line, difference) if amount > 0 else (difference, line)
        uow.session.add(
            PartialReconcile(
                company_id=company_id,
                debit_line_id=debit.id,
                credit_line_id=credit.id,
                amount=abs(amount),
                exchange_entry_id=entry.id,
                exchange_of_id=cause.id,
            )
        )
        difference.amount_residual = ZERO
        difference.reconciled = True
    return entry


async def unreconcile_entry(uow: UnitOfWork, company_id: int, entry_id: int) -> JournalEntry:
    """Undo every match involving the entry's lines; the other sides reopen too, and the
    exchange differences those matches booked are reversed."""
    entry = await uow.session.scalar(
        select(JournalEntry)
        .where(JournalEntry.id == entry_id, JournalEntry.company_id == company_id)
        .with_for_update()
    )
    if entry is None:
        raise AccountingError(AccountingErrorCode.NOT_FOUND, "No such journal entry.", ["id"])
    await check_not_exchange_difference(uow, entry)
    line_ids = select(JournalLine.id).where(JournalLine.entry_id == entry.id)
    partials = list(
        await uow.session.scalars(
            select(PartialReconcile).where(
                or_(
                    PartialReconcile.debit_line_id.in_(line_ids),
                    PartialReconcile.credit_line_id.in_(line_ids),
                )
            )
        )
    )
    if not partials:
        raise AccountingError(AccountingErrorCode.INVALID, "Nothing of this entry is matched.")
    # The exchange differences these matches booked go with them, and only those.
    partials += await uow.session.scalars(
        select(PartialReconcile).where(
            PartialReconcile.exchange_of_id.in_([p.id for p in partials]),
            PartialReconcile.id.not_in([p.id for p in partials]),
        )
    )
    touched = {p.debit_line_id for p in partials} | {p.credit_line_id for p in partials}
    lines = {
        line.id: line
        for line in await uow.session.scalars(
            select(JournalLine).where(JournalLine.id.in_(touched))
        )
    }
    for partial in partials:
        debit, credit = lines[partial.debit_line_id], lines[partial.credit_line_id]
        debit.amount_residual += partial.amount
        debit.amount_residual_currency += partial.debit_amount_currency
        credit.amount_residual -= partial.amount
        credit.amount_residual_currency -= partial.credit_amount_currency
    for line in lines.values():
        line.reconciled = False
    # The exchange matches first: they point at the matches that caused them.
    for of_exchange in (True, False):
        ids = [p.id for p in partials if (p.exchange_of_id is not None) is of_exchange]
        await uow.session.execute(delete(PartialReconcile).where(PartialReconcile.id.in_(ids)))
    await uow.session.flush()
    exchanges = sorted({p.exchange_entry_id for p in partials if p.exchange_entry_id})
    for exchange_id in exchanges:
        exchange = await ledger.get_entry(uow, company_id, exchange_id)
        await ledger.reverse_entry(
            uow,
            company_id,
            exchange_id,
            date=await ledger.first_open_date(uow, company_id, exchange.date),
        )
    await refresh_payment_states(uow, {line.entry_id for line in lines.values()})
    return entry


async def check_not_exchange_difference(uow: UnitOfWork, entry: JournalEntry) -> None:
    """An exchange difference still matched goes with the match that caused it: undo that
    match instead of this entry."""
    found = await uow.session.scalar(
        select(PartialReconcile.id).where(PartialReconcile.exchange_entry_id == entry.id).limit(1)
    )
    if found is not None:
        raise AccountingError(
            AccountingErrorCode.INVALID,
            f"{entry.number} books an exchange difference; undo the match that caused it.",
            ["id"],
        )


async def has_matches(uow: UnitOfWork, entry_id: int) -> bool:
    """Whether any line of the entry is matched with another."""
    lines = select(JournalLine.id).where(JournalLine.entry_id == entry_id)
    found = await uow.session.scalar(
        select(PartialReconcile.id)
        .where(
            or_(
                PartialReconcile.debit_line_id.in_(lines),
                PartialReconcile.credit_line_id.in_(lines),
            )
        )
        .limit(1)
    )
    return found is not None


async def refresh_payment_states(uow: UnitOfWork, entry_ids: Iterable[int]) -> None:
    """Set the residual and payment state of the invoices among `entry_ids`."""
    invoices = list(
        await uow.session.scalars(
            select(JournalEntry).where(
                JournalEntry.id.in_(set(entry_ids)),
                JournalEntry.move_type.in_(INVOICE_TYPES),
            )
        )
    )
    for invoice in invoices:
        residual = await uow.session.scalar(
            select(func.coalesce(func.sum(JournalLine.amount_residual_currency), 0)).where(
                JournalLine.entry_id == invoice.id, JournalLine.kind == LineKind.PAYMENT_TERM
            )
        )
        invoice.amount_residual = abs(Decimal(residual or 0))
        if invoice.amount_residual == invoice.amount_total:
            invoice.payment_state = PaymentState.NOT_PAID
        elif invoice.amount_residual != ZERO:
            invoice.payment_state = PaymentState.PARTIAL
        elif await _credited(uow, invoice) == invoice.amount_total:
            invoice.payment_state = PaymentState.REVERSED
        else:
            invoice.payment_state = PaymentState.PAID
    await uow.session.flush()


async def _credited(uow: UnitOfWork, invoice: JournalEntry) -> Decimal:
    """How much of the invoice, in its currency, its credit notes settled."""
    own = select(JournalLine.id).where(JournalLine.entry_id == invoice.id)
    credit_notes = (
        select(JournalLine.id)
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(JournalEntry.reversed_entry_id == invoice.id)
    )
    owned_debit = PartialReconcile.debit_line_id.in_(own)
    total = await uow.session.scalar(
        select(
            func.coalesce(
                func.sum(
                    case(
                        (owned_debit, PartialReconcile.debit_amount_currency),
                        else_=PartialReconcile.credit_amount_currency,
                    )
                ),
                0,
            )
        ).where(
            or_(
                owned_debit & PartialReconcile.credit_line_id.in_(credit_notes),
                PartialReconcile.credit_line_id.in_(own)
                & PartialReconcile.debit_line_id.in_(credit_notes),
            )
        )
    )
    return Decimal(total or 0)


async def open_lines(
    uow: UnitOfWork, company_id: int, entry_ids: Iterable[int]
) -> list[JournalLine]:
    """The unmatched receivable/payable lines of the entries, oldest due first."""
    return list(
        await uow.session.scalars(
            select(JournalLine)
            .where(
                JournalLine.company_id == company_id,
                JournalLine.entry_id.in_(set(entry_ids)),
                JournalLine.kind == LineKind.PAYMENT_TERM,
                or_(JournalLine.amount_residual != 0, JournalLine.amount_residual_currency != 0),
            )
            .order_by(JournalLine.date_maturity, JournalLine.id)
        )
    )
