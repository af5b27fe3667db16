"""Accounting's use cases and the permissions they and accounting's reads need."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from domain.accounting import chart, invoices, ledger, payments, statements
from domain.accounting.invoices import InvoiceLineValues
from domain.accounting.ledger import LineValues
from domain.accounting.models import (
    Account,
    AccountType,
    BankStatement,
    BankStatementLine,
    Journal,
    JournalEntry,
    JournalType,
    MoveType,
    Payment,
    PaymentType,
)
from domain.accounting.statements import AutoReconciliation
from domain.core.dispatcher import Command, Permission, Step
from domain.core.uow import UnitOfWork

ACCOUNTING_READ = Permission("accounting.read", "Read the books: entries, invoices, reports.")
ACCOUNTING_WRITE = Permission(
    "accounting.write", "Draft invoices, bills, credit notes and entries; import statements."
)
ACCOUNTING_POST = Permission(
    "accounting.post", "Post and reverse entries and invoices; set the lock date."
)
ACCOUNTING_RECONCILE = Permission(
    "accounting.reconcile", "Register and cancel payments; reconcile and unreconcile."
)


@dataclass(frozen=True, kw_only=True)
class CreateAccount(Command[Account]):
    """An account added to the company's chart."""

    permission: ClassVar[Permission | None] = ACCOUNTING_WRITE
    code: str
    name: str
    account_type: AccountType

    async def handle(self, uow: UnitOfWork) -> Account:
        return await chart.create_account(
            uow, self.company_id, code=self.code, name=self.name, account_type=self.account_type
        )


@dataclass(frozen=True, kw_only=True)
class CreateJournal(Command[Journal]):
    permission: ClassVar[Permission | None] = ACCOUNTING_WRITE
    code: str
    name: str
    journal_type: JournalType
    default_account_id: int | None = None

    async def handle(self, uow: UnitOfWork) -> Journal:
        return await chart.create_journal(
            uow,
            self.company_id,
            code=self.code,
            name=self.name,
            journal_type=self.journal_type,
            default_account_id=self.default_account_id,
        )


@dataclass(frozen=True, kw_only=True)
class SetLockDate(Command[dt.date | None]):
    """Nothing can be posted on or before `lock_date`; None lifts the lock. Its result is the
    lock date in force."""

    permission: ClassVar[Permission | None] = ACCOUNTING_POST
    lock_date: dt.date | None

    async def handle(self, uow: UnitOfWork) -> dt.date | None:
        return (await chart.set_lock_date(uow, self.company_id, self.lock_date)).lock_date


@dataclass(frozen=True, kw_only=True)
class CreateJournalEntry(Command[JournalEntry]):
    """A draft journal entry."""

    permission: ClassVar[Permission | None] = ACCOUNTING_WRITE
    journal_id: int
    date: dt.date
    lines: tuple[LineValues, ...]
    ref: str | None = None

    async def handle(self, uow: UnitOfWork) -> JournalEntry:
        return await ledger.create_entry(
            uow,
            self.company_id,
            journal_id=self.journal_id,
            date=self.date,
            ref=self.ref,
            lines=self.lines,
        )


@dataclass(frozen=True, kw_only=True)
class PostJournalEntry(Step[JournalEntry]):
    permission: ClassVar[Permission | None] = ACCOUNTING_POST

    async def handle(self, uow: UnitOfWork) -> JournalEntry:
        return await ledger.post_entry(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class CancelJournalEntry(Step[JournalEntry]):
    """A draft entry cancelled."""

    permission: ClassVar[Permission | None] = ACCOUNTING_WRITE

    async def handle(self, uow: UnitOfWork) -> JournalEntry:
        return await ledger.cancel_entry(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class ReverseJournalEntry(Step[JournalEntry]):
    """A posted entry reversed by a posted mirror entry."""

    permission: ClassVar[Permission | None] = ACCOUNTING_POST

    async def handle(self, uow: UnitOfWork) -> JournalEntry:
        return await ledger.reverse_entry(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class CreateInvoice(Command[JournalEntry]):
    """A draft invoice, bill or credit note entered by hand."""

    permission: ClassVar[Permission | None] = ACCOUNTING_WRITE
    move_type: MoveType
    partner_id: int
    date: dt.date
    lines: tuple[InvoiceLineValues, ...]
    payment_term_id: int | None = None
    ref: str | None = None
    currency: str | None = None

    async def handle(self, uow: UnitOfWork) -> JournalEntry:
        return await invoices.create_invoice(
            uow,
            self.company_id,
            move_type=self.move_type,
            partner_id=self.partner_id,
            date=self.date,
            lines=self.lines,
            payment_term_id=self.payment_term_id,
            ref=self.ref,
            currency=self.currency,
        )


@dataclass(frozen=True, kw_only=True)
class PostInvoice(Step[JournalEntry]):
    permission: ClassVar[Permission | None] = ACCOUNTING_POST

    async def handle(self, uow: UnitOfWork) -> JournalEntry:
        return await invoices.post_invoice(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class CancelInvoice(Step[JournalEntry]):
    """A draft invoice cancelled; its quantities can be invoiced again."""

    permission: ClassVar[Permission | None] = ACCOUNTING_WRITE

    async def handle(self, uow: UnitOfWork) -> JournalEntry:
        return await invoices.cancel_invoice(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class CreateCreditNote(Step[JournalEntry]):
    """A posted credit note of the invoice `id`: all of it, or `quantities` per line ID."""

    permission: ClassVar[Permission | None] = ACCOUNTING_WRITE
    date: dt.date | None = None
    quantities: dict[int, Decimal] | None = None
    reason: str | None = None

    async def handle(self, uow: UnitOfWork) -> JournalEntry:
        return await invoices.create_credit_note(
            uow,
            self.company_id,
            self.id,
            date=self.date,
            quantities=self.quantities,
            reason=self.reason,
        )


@dataclass(frozen=True, kw_only=True)
class RegisterPayment(Command[Payment]):
    """A payment matched with the invoices, oldest due first; an excess stays as a credit."""

    permission: ClassVar[Permission | None] = ACCOUNTING_RECONCILE
    payment_type: PaymentType
    partner_id: int
    amount: Decimal
    journal_id: int
    date: dt.date
    invoice_ids: tuple[int, ...] = ()
    memo: str | None = None
    currency: str | None = None

    async def handle(self, uow: UnitOfWork) -> Payment:
        return await payments.register_payment(
            uow,
            self.company_id,
            payment_type=self.payment_type,
            partner_id=self.partner_id,
            amount=self.amount,
            journal_id=self.journal_id,
            date=self.date,
            invoice_ids=self.invoice_ids,
            memo=self.memo,
            currency=self.currency,
        )


@dataclass(frozen=True, kw_only=True)
class ApplyOutstandingCredits(Step[JournalEntry]):
    """The invoice `id` settled with its partner's outstanding credits."""

    permission: ClassVar[Permission | None] = ACCOUNTING_RECONCILE

    async def handle(self, uow: UnitOfWork) -> JournalEntry:
        return await payments.apply_outstanding(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class UnreconcilePayment(Step[Payment]):
    """Every match of the payment's entry undone; its invoices reopen."""

    permission: ClassVar[Permission | None] = ACCOUNTING_RECONCILE

    async def handle(self, uow: UnitOfWork) -> Payment:
        return await payments.unmatch_payment(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class CancelPayment(Step[Payment]):
    """A payment entered by mistake: its matches undone and its entry reversed."""

    permission: ClassVar[Permission | None] = ACCOUNTING_RECONCILE

    async def handle(self, uow: UnitOfWork) -> Payment:
        return await payments.cancel_payment(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class ImportBankStatement(Command[BankStatement]):
    """A bank's CSV file imported as a statement of the journal."""

    permission: ClassVar[Permission | None] = ACCOUNTING_WRITE
    journal_id: int
    csv: str
    reference: str | None = None
    date: dt.date | None = None
    balance_start: Decimal | None = None
    balance_end: Decimal | None = None

    async def handle(self, uow: UnitOfWork) -> BankStatement:
        return await statements.import_statement(
            uow,
            self.company_id,
            journal_id=self.journal_id,
            csv_text=self.csv,
            reference=self.reference,
            date=self.date,
            balance_start=self.balance_start,
            balance_end=self.balance_end,
        )


@dataclass(frozen=True, kw_only=True)
class ReconcileStatementLine(Step[BankStatementLine]):
    """An open statement line recorded: a payment of invoices, or an entry on an account."""

    permission: ClassVar[Permission | None] = ACCOUNTING_RECONCILE
    invoice_ids: tuple[int, ...] = ()
    partner_id: int | None = None
    account_id: int | None = None

    async def handle(self, uow: UnitOfWork) -> BankStatementLine:
        return await statements.reconcile_statement_line(
            uow,
            self.company_id,
            self.id,
            invoice_ids=self.invoice_ids,
            partner_id=self.partner_id,
            account_id=self.account_id,
        )


@dataclass(frozen=True, kw_only=True)
class AutoReconcileBankStatement(Step[AutoReconciliation]):
    """Each open line of the statement `id` paying its one unambiguous candidate."""

    permission: ClassVar[Permission | None] = ACCOUNTING_RECONCILE

    async def handle(self, uow: UnitOfWork) -> AutoReconciliation:
        return await statements.reconcile_statement_auto(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class UnreconcileStatementLine(Step[BankStatementLine]):
    """A reconciled line open again: its payment's matches undone, its entry reversed."""

    permission: ClassVar[Permission | None] = ACCOUNTING_RECONCILE

    async def handle(self, uow: UnitOfWork) -> BankStatementLine:
        return await statements.unreconcile_statement_line(uow, self.company_id, self.id)
