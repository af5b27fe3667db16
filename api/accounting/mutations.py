"""Accounting mutations: each parses its input, dispatches one command and maps the result."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from api import arguments
from api.access import dispatches
from api.accounting.inputs import (
    AccountCreateInput,
    CreditNoteInput,
    EntryCreateInput,
    InvoiceCreateInput,
    InvoiceFromOrdersInput,
    JournalCreateInput,
    PaymentRegisterInput,
)
from api.accounting.types import (
    Account,
    AccountingError,
    Invoice,
    Journal,
    JournalEntry,
    Payment,
)
from api.context import Info
from api.ids import decode_id, decode_ids
from api.payloads import Payload, run, step
from domain.accounting import commands as c
from domain.sales.commands import InvoiceSaleOrders


@strawberry.type(description="The account, or why not.")
class AccountPayload(Payload, error=AccountingError):
    account: Account | None = strawberry.field(default=None, description="The account.")


@strawberry.type(description="The journal, or why not.")
class JournalPayload(Payload, error=AccountingError):
    journal: Journal | None = strawberry.field(default=None, description="The journal.")


@strawberry.type(description="The journal entry, or why not.")
class EntryPayload(Payload, error=AccountingError):
    entry: JournalEntry | None = strawberry.field(default=None, description="The journal entry.")


@strawberry.type(description="The invoice, or why not.")
class InvoicePayload(Payload, error=AccountingError):
    invoice: Invoice | None = strawberry.field(default=None, description="The invoice.")


@strawberry.type(description="The payment, or why not.")
class PaymentPayload(Payload, error=AccountingError):
    payment: Payment | None = strawberry.field(default=None, description="The payment.")


@strawberry.type(description="The company's lock date after the change, or why not.")
class LockDatePayload(Payload, error=AccountingError):
    lock_date: dt.date | None = strawberry.field(
        default=None, description="Nothing can be posted on or before it."
    )


EntryId = Annotated[strawberry.ID, arguments.ID]


@strawberry.type
class AccountingMutation:
    @strawberry.mutation(
        description="Add an account to the company's chart.", metadata=dispatches(c.CreateAccount)
    )
    async def account_create(
        self, info: Info, input: Annotated[AccountCreateInput, arguments.INPUT]
    ) -> AccountPayload:
        return await run(
            info,
            AccountPayload,
            lambda company_id: c.CreateAccount(
                company_id=company_id,
                code=input.code,
                name=input.name,
                account_type=input.account_type,
            ),
        )

    @strawberry.mutation(description="Add a journal.", metadata=dispatches(c.CreateJournal))
    async def journal_create(
        self, info: Info, input: Annotated[JournalCreateInput, arguments.INPUT]
    ) -> JournalPayload:
        return await run(
            info,
            JournalPayload,
            lambda company_id: c.CreateJournal(
                company_id=company_id,
                code=input.code,
                name=input.name,
                journal_type=input.type,
                default_account_id=decode_id(
                    input.default_account_id, "Account", "default_account_id"
                )
                if input.default_account_id
                else None,
            ),
        )

    @strawberry.mutation(
        description="Set (or with null lift) the date up to which books are locked.",
        metadata=dispatches(c.SetLockDate),
    )
    async def lock_date_set(
        self,
        info: Info,
        lock_date: Annotated[
            dt.date | None, strawberry.argument(description="Refuse postings on or before it.")
        ],
    ) -> LockDatePayload:
        return await run(
            info,
            LockDatePayload,
            lambda company_id: c.SetLockDate(company_id=company_id, lock_date=lock_date),
        )

    @strawberry.mutation(
        description="Create a draft journal entry.", metadata=dispatches(c.CreateJournalEntry)
    )
    async def entry_create(
        self, info: Info, input: Annotated[EntryCreateInput, arguments.INPUT]
    ) -> EntryPayload:
        return await run(
            info,
            EntryPayload,
            lambda company_id: c.CreateJournalEntry(
                company_id=company_id,
                journal_id=decode_id(input.journal_id, "Journal", "journal_id"),
                date=input.date,
                ref=input.ref,
                lines=input.line_values(),
            ),
        )

    @strawberry.mutation(
        description="Post a draft entry: balanced, after the lock date, numbered.",
        metadata=dispatches(c.PostJournalEntry),
    )
    async def entry_post(self, info: Info, id: EntryId) -> EntryPayload:
        return await step(info, EntryPayload, c.PostJournalEntry, id, "JournalEntry")

    @strawberry.mutation(
        description="Cancel a draft entry.", metadata=dispatches(c.CancelJournalEntry)
    )
    async def entry_cancel(self, info: Info, id: EntryId) -> EntryPayload:
        return await step(info, EntryPayload, c.CancelJournalEntry, id, "JournalEntry")

    @strawberry.mutation(
        description="Reverse a posted entry with a posted mirror entry.",
        metadata=dispatches(c.ReverseJournalEntry),
    )
    async def entry_reverse(self, info: Info, id: EntryId) -> EntryPayload:
        return await step(info, EntryPayload, c.ReverseJournalEntry, id, "JournalEntry")

    @strawberry.mutation(
        description="Create a draft invoice or bill by hand.", metadata=dispatches(c.CreateInvoice)
    )
    async def invoice_create(
        self, info: Info, input: Annotated[InvoiceCreateInput, arguments.INPUT]
    ) -> InvoicePayload:
        return await run(
            info,
            InvoicePayload,
            lambda company_id: c.CreateInvoice(
                company_id=company_id,
                move_type=input.move_type,
                partner_id=decode_id(input.partner_id, "Partner", "partner_id"),
                date=input.date,
                lines=input.line_values(),
                payment_term_id=decode_id(input.payment_term_id, "PaymentTerm", "payment_term_id")
                if input.payment_term_id
                else None,
                ref=input.ref,
                currency=input.currency,
            ),
        )

    @strawberry.mutation(
        description="Invoice what confirmed orders have to invoice, in one draft invoice. "
        "Invoicing again bills nothing twice.",
        metadata=dispatches(InvoiceSaleOrders),
    )
    async def invoice_create_from_orders(
        self, info: Info, input: Annotated[InvoiceFromOrdersInput, arguments.INPUT]
    ) -> InvoicePayload:
        return await run(
            info,
            InvoicePayload,
            lambda company_id: InvoiceSaleOrders(
                company_id=company_id,
                order_ids=tuple(decode_ids(input.order_ids, "SaleOrder", "order_ids")),
                date=input.date,
            ),
        )

    @strawberry.mutation(
        description="Post a draft invoice: numbered, frozen, due.",
        metadata=dispatches(c.PostInvoice),
    )
    async def invoice_post(self, info: Info, id: EntryId) -> InvoicePayload:
        return await step(info, InvoicePayload, c.PostInvoice, id, "Invoice")

    @strawberry.mutation(
        description="Cancel a draft invoice; its quantities can be invoiced again.",
        metadata=dispatches(c.CancelInvoice),
    )
    async def invoice_cancel(self, info: Info, id: EntryId) -> InvoicePayload:
        return await step(info, InvoicePayload, c.CancelInvoice, id, "Invoice")

    @strawberry.mutation(
        description="Credit a posted invoice (all or some lines): a posted credit note "
        "matched with it. Returns the credit note.",
        metadata=dispatches(c.CreateCreditNote),
    )
    async def invoice_credit_note(
        self,
        info: Info,
        id: EntryId,
        input: Annotated[CreditNoteInput | None, arguments.INPUT] = None,
    ) -> InvoicePayload:
        given = input or CreditNoteInput()
        return await run(
            info,
            InvoicePayload,
            lambda company_id: c.CreateCreditNote(
                company_id=company_id,
                id=decode_id(id, "Invoice", "id"),
                date=given.date,
                quantities=given.quantities(),
                reason=given.reason,
            ),
        )

    @strawberry.mutation(
        description="Register a payment and match it with the invoices, oldest due first; "
        "an excess stays open as the partner's credit. The same idempotencyKey returns the "
        "first result.",
        metadata=dispatches(c.RegisterPayment),
    )
    async def payment_register(
        self, info: Info, input: Annotated[PaymentRegisterInput, arguments.INPUT]
    ) -> PaymentPayload:
        return await run(
            info,
            PaymentPayload,
            lambda company_id: c.RegisterPayment(
                company_id=company_id,
                idempotency_key=input.idempotency_key,
                payment_type=input.payment_type,
                partner_id=decode_id(input.partner_id, "Partner", "partner_id"),
                amount=input.amount,
                journal_id=decode_id(input.journal_id, "Journal", "journal_id"),
                date=input.date,
                invoice_ids=tuple(decode_ids(input.invoice_ids, "Invoice", "invoice_ids")),
                memo=input.memo,
                currency=input.currency,
            ),
        )

    @strawberry.mutation(
        description="Settle an invoice with the partner's outstanding credits.",
        metadata=dispatches(c.ApplyOutstandingCredits),
    )
    async def reconcile_outstanding(self, info: Info, id: EntryId) -> InvoicePayload:
        return await step(info, InvoicePayload, c.ApplyOutstandingCredits, id, "Invoice")

    @strawberry.mutation(
        description="Undo every match of a payment's entry; its invoices reopen. Give the "
        "payment's ID.",
        metadata=dispatches(c.UnreconcilePayment),
    )
    async def reconcile_undo(self, info: Info, id: EntryId) -> PaymentPayload:
        return await step(info, PaymentPayload, c.UnreconcilePayment, id, "Payment")

    @strawberry.mutation(
        description="Cancel a payment entered by mistake: its matches are undone (its invoices "
        "reopen) and its entry is reversed. A cancelled payment stays listed.",
        metadata=dispatches(c.CancelPayment),
    )
    async def payment_cancel(self, info: Info, id: EntryId) -> PaymentPayload:
        return await step(info, PaymentPayload, c.CancelPayment, id, "Payment")
