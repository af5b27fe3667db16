"""Payments: money in from customers and out to vendors, matched with open invoices.

A payment is a posted entry in a bank or cash journal: the money on the journal's account and
the counterpart on the partner's receivable (or payable) account. That counterpart is matched
with the given invoices' open lines, oldest due first; what is left over stays open on the
partner as an outstanding credit, to apply to a later invoice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select

from domain.accounting import ledger
from domain.accounting.chart import role_account
from domain.accounting.errors import AccountingError, AccountingErrorCode
from domain.accounting.invoices import get_invoice
from domain.accounting.models import (
    EntryState,
    JournalEntry,
    JournalLine,
    LineKind,
    MoveType,
    Payment,
    PaymentState,
    PaymentStatus,
    PaymentType,
)
from domain.accounting.reconcile import (
    has_matches,
    open_lines,
    open_sign,
    open_toward,
    reconcile_lines,
    unreconcile_entry,
)
from domain.core.money import ZERO
from domain.core.records import get_owned
from domain.core.services import conversion as conversion_on
from domain.core.uow import UnitOfWork
from domain.core.workflow import Workflow

PAYMENT_WORKFLOW: Workflow[PaymentStatus] = Workflow(
    {PaymentStatus.POSTED: frozenset({PaymentStatus.CANCELLED})},
    lambda current, target: AccountingError(
        AccountingErrorCode.INVALID_TRANSITION,
        f"A {current.value} payment cannot be {target.value}.",
        ["id"],
    ),
)
#: Invoices with nothing left to pay: paid, or cancelled by a credit note.
SETTLED = frozenset({PaymentState.PAID, PaymentState.REVERSED})
#: Which invoices each kind of payment settles.
SETTLES = {
    PaymentType.INBOUND: frozenset({MoveType.OUT_INVOICE, MoveType.IN_REFUND}),
    PaymentType.OUTBOUND: frozenset({MoveType.IN_INVOICE, MoveType.OUT_REFUND}),
}


async def register_payment(
    uow: UnitOfWork,
    company_id: int,
    *,
    payment_type: PaymentType,
    partner_id: int,
    amount: Decimal,
    journal_id: int,
    date: dt.date,
    invoice_ids: Sequence[int] = (),
    memo: str | None = None,
    currency: str | None = None,
) -> Payment:
    """Record a payment of `amount` in `currency` (ISO code; the company's by default) and
    match it with the invoices.

    A payment in another currency converts at its date's rate; matched with an invoice in
    that currency, the difference from the invoice's rate is booked as an exchange gain or
    loss."""
    journal = await ledger.get_money_journal(uow, company_id, journal_id)
    assert journal.default_account_id is not None
    conversion = await conversion_on(uow, company_id, currency, date)
    amount = conversion.rule.round(amount)
    if amount <= 0:
        raise AccountingError(
            AccountingErrorCode.INVALID, "A payment amount is positive.", ["amount"]
        )
    partner = await ledger.get_partner(uow, company_id, partner_id, "partner_id")
    # Lock the invoices in a fixed order so concurrent payments queue instead of deadlocking.
    invoices = []
    for index, invoice_id in enumerate(sorted(set(invoice_ids))):
        try:
            invoice = await get_invoice(uow, company_id, invoice_id, lock=True)
        except AccountingError as error:
            raise error.at("invoice_ids", str(index)) from None
        if (
            invoice.state is not EntryState.POSTED
            or invoice.move_type not in SETTLES[payment_type]
            or invoice.partner_id != partner.id
        ):
            raise AccountingError(
                AccountingErrorCode.INVALID,
                f"{invoice.number or 'The invoice'} is not a posted document of this partner "
                f"that an {payment_type.value} payment settles.",
                ["invoice_ids", str(index)],
            )
        if invoice.payment_state in SETTLED:
            # Read under the invoice's lock: a payment committed meanwhile is seen here.
            raise AccountingError(
                AccountingErrorCode.ALREADY_PAID,
                f"{invoice.number} is {invoice.payment_state.value.replace('_', ' ')} already: "
                "nothing is left to pay.",
                ["invoice_ids", str(index)],
            )
        invoices.append(invoice)
    inbound = payment_type is PaymentType.INBOUND
    counterpart = await role_account(uow, company_id, "receivable" if inbound else "payable")
    money: ledger.LineValues = {
        "account_id": journal.default_account_id,
        "debit": amount if inbound else ZERO,
        "credit": ZERO if inbound else amount,
        "label": memo,
    }
    partner_side: ledger.LineValues = {
        "account_id": counterpart.id,
        "debit": ZERO if inbound else amount,
        "credit": amount if inbound else ZERO,
        "label": memo,
        "kind": LineKind.PAYMENT_TERM,
    }
    entry = await ledger.create_entry(
        uow,
        company_id,
        journal_id=journal.id,
        date=date,
        ref=memo,
        partner_id=partner.id,
        currency_id=conversion.currency.id,
        lines=ledger.in_company_currency(conversion, [money, partner_side]),
    )
    await ledger.post_entry(uow, company_id, entry.id)
    payment = Payment(
        company_id=company_id,
        payment_type=payment_type,
        partner_id=partner.id,
        journal_id=journal.id,
        entry_id=entry.id,
        amount=amount,
        currency_id=conversion.currency.id,
        date=date,
        memo=memo,
    )
    uow.session.add(payment)
    await uow.session.flush()
    if invoices:
        paid = await open_lines(uow, company_id, [entry.id])
        due = await open_lines(uow, company_id, [invoice.id for invoice in invoices])
        await reconcile_lines(uow, company_id, [*paid, *due])
    return payment


async def apply_outstanding(uow: UnitOfWork, company_id: int, invoice_id: int) -> JournalEntry:
    """Settle the invoice with the partner's outstanding credits (overpayments, unmatched
    credit notes) on the same account, oldest first."""
    invoice = await get_invoice(uow, company_id, invoice_id, lock=True)
    if invoice.state is not EntryState.POSTED:
        raise AccountingError(AccountingErrorCode.INVALID, "Only posted invoices can be settled.")
    due = await open_lines(uow, company_id, [invoice.id])
    if not due:
        raise AccountingError(AccountingErrorCode.INVALID, "The invoice is settled already.")
    sign = open_sign(due[0])
    credits = list(
        await uow.session.scalars(
            select(JournalLine)
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .where(
                JournalLine.company_id == company_id,
                JournalLine.account_id == due[0].account_id,
                JournalLine.partner_id == invoice.partner_id,
                JournalLine.kind == LineKind.PAYMENT_TERM,
                JournalEntry.state == EntryState.POSTED,
                open_toward(-sign),
            )
            .order_by(JournalLine.date, JournalLine.id)
            .with_for_update()
        )
    )
    if not credits:
        raise AccountingError(AccountingErrorCode.INVALID, "The partner has no outstanding credit.")
    await reconcile_lines(uow, company_id, [*due, *credits])
    return invoice


async def get_payment(
    uow: UnitOfWork, company_id: int, payment_id: int, *, lock: bool = False
) -> Payment:
    payment = await get_owned(uow.session, Payment, payment_id, company_id, lock=lock)
    if payment is None:
        raise AccountingError(AccountingErrorCode.NOT_FOUND, "No such payment.", ["id"])
    return payment


async def unmatch_payment(uow: UnitOfWork, company_id: int, payment_id: int) -> Payment:
    """Undo every match of the payment; its invoices reopen and it stays open as the
    partner's credit."""
    payment = await get_payment(uow, company_id, payment_id, lock=True)
    await unreconcile_entry(uow, company_id, payment.entry_id)
    return payment


async def cancel_payment(uow: UnitOfWork, company_id: int, payment_id: int) -> Payment:
    """Cancel a payment entered by mistake: its matches are undone (the invoices reopen)
    and its entry is reversed."""
    payment = await get_payment(uow, company_id, payment_id, lock=True)
    payment.status = PAYMENT_WORKFLOW.check(payment.status, PaymentStatus.CANCELLED)
    if await has_matches(uow, payment.entry_id):
        await unreconcile_entry(uow, company_id, payment.entry_id)
    entry = await ledger.get_entry(uow, company_id, payment.entry_id, lock=True)
    await ledger.post_reversal(uow, entry)
    return payment
