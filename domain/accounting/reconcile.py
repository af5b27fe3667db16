"""Matching debits with credits on receivable and payable accounts, and undoing it.

A `PartialReconcile` records how much of a debit line a credit line settles; each line's
`amount_residual` is what remains unmatched. An invoice's residual and payment state follow
from its receivable (or payable) lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from sqlalchemy import delete, func, or_, select

from domain.accounting.errors import AccountingError, AccountingErrorCode
from domain.accounting.models import (
    INVOICE_TYPES,
    Account,
    EntryState,
    JournalEntry,
    JournalLine,
    LineKind,
    PartialReconcile,
    PaymentState,
)
from domain.core.money import ZERO
from domain.core.uow import UnitOfWork


async def reconcile_lines(
    uow: UnitOfWork, company_id: int, lines: Sequence[JournalLine]
) -> list[PartialReconcile]:
    """Match the open debit lines with the open credit lines, in the order given.

    Every line must be posted, on the same reconcilable account, and belong to the company.
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
    debits = [line for line in lines if line.amount_residual > 0]
    credits = [line for line in lines if line.amount_residual < 0]
    made = []
    for debit in debits:
        for credit in credits:
            amount = min(debit.amount_residual, -credit.amount_residual)
            if amount <= 0:
                continue
            made.append(
                PartialReconcile(
                    company_id=company_id,
                    debit_line_id=debit.id,
                    credit_line_id=credit.id,
                    amount=amount,
                )
            )
            debit.amount_residual -= amount
            credit.amount_residual += amount
            if debit.amount_residual == 0:
                break
    for line in lines:
        line.reconciled = line.amount_residual == 0
    uow.session.add_all(made)
    await uow.session.flush()
    await refresh_payment_states(uow, {line.entry_id for line in lines})
    return made


async def unreconcile_entry(uow: UnitOfWork, company_id: int, entry_id: int) -> JournalEntry:
    """Undo every match involving the entry's lines; the other sides reopen too."""
    entry = await uow.session.scalar(
        select(JournalEntry)
        .where(JournalEntry.id == entry_id, JournalEntry.company_id == company_id)
        .with_for_update()
    )
    if entry is None:
        raise AccountingError(AccountingErrorCode.NOT_FOUND, "No such journal entry.", ["id"])
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
    touched = {p.debit_line_id for p in partials} | {p.credit_line_id for p in partials}
    lines = {
        line.id: line
        for line in await uow.session.scalars(
            select(JournalLine).where(JournalLine.id.in_(touched))
        )
    }
    for partial in partials:
        lines[partial.debit_line_id].amount_residual += partial.amount
        lines[partial.credit_line_id].amount_residual -= partial.amount
    for line in lines.values():
        line.reconciled = line.amount_residual == 0 and line.balance == 0
    await uow.session.execute(
        delete(PartialReconcile).where(PartialReconcile.id.in_([p.id for p in partials]))
    )
    await uow.session.flush()
    await refresh_payment_states(uow, {line.entry_id for line in lines.values()})
    return entry


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
            select(func.coalesce(func.sum(JournalLine.amount_residual), 0)).where(
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
    """How much of the invoice its credit notes settled."""
    own = select(JournalLine.id).where(JournalLine.entry_id == invoice.id)
    credit_notes = (
        select(JournalLine.id)
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(JournalEntry.reversed_entry_id == invoice.id)
    )
    total = await uow.session.scalar(
        select(func.coalesce(func.sum(PartialReconcile.amount), 0)).where(
            or_(
                PartialReconcile.debit_line_id.in_(own)
                & PartialReconcile.credit_line_id.in_(credit_notes),
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
                JournalLine.amount_residual != 0,
            )
            .order_by(JournalLine.date_maturity, JournalLine.id)
        )
    )
