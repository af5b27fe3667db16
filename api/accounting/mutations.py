"""Accounting mutations: each parses its input, calls one service and maps the result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, ClassVar

import strawberry

from api import arguments
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
from api.payloads import mutate
from domain.accounting import chart, invoices, ledger, payments
from domain.core.uow import UnitOfWork
from domain.sales import invoicing


def payload_type(name: str, field: str, kind: Any, description: str) -> Any:
    """A payload type `<name>` carrying `field` (of `kind`) and accounting errors."""
    namespace = {
        "__annotations__": {field: kind | None, "errors": list[AccountingError]},
        "result_field": field,
        "error_type": AccountingError,
        field: strawberry.field(default=None, description=description),
        "errors": strawberry.field(
            default_factory=list, description="Why nothing changed; empty on success."
        ),
    }
    cls = type(name, (), namespace)
    cls.__annotations__["result_field"] = ClassVar[str]
    cls.__annotations__["error_type"] = ClassVar[type[AccountingError]]
    return strawberry.type(cls, description=f"The {description.lower()[4:-1]}, or why not.")


AccountPayload = payload_type("AccountPayload", "account", Account, "The account.")
JournalPayload = payload_type("JournalPayload", "journal", Journal, "The journal.")
EntryPayload = payload_type("EntryPayload", "entry", JournalEntry, "The journal entry.")
InvoicePayload = payload_type("InvoicePayload", "invoice", Invoice, "The invoice.")
PaymentPayload = payload_type("PaymentPayload", "payment", Payment, "The payment.")


@strawberry.type(description="The company's lock date after the change, or why not.")
class LockDatePayload:
    result_field: ClassVar[str] = "lock_date"
    error_type: ClassVar[type[AccountingError]] = AccountingError
    lock_date: dt.date | None = strawberry.field(
        default=None, description="Nothing can be posted on or before it."
    )
    errors: list[AccountingError] = strawberry.field(
        default_factory=list, description="Why nothing changed; empty on success."
    )


EntryId = Annotated[strawberry.ID, arguments.ID]
Step = Callable[[UnitOfWork, int, int], Awaitable[Any]]


async def _entry_step(
    info: Info, id: strawberry.ID, type_name: str, payload: Any, step: Step
) -> Any:
    """Run `step` on the record `id` (a `type_name` global ID), answering with `payload`."""
    return await mutate(
        info, payload, lambda uow, company_id: step(uow, company_id, decode_id(id, type_name, "id"))
    )


@strawberry.type
class AccountingMutation:
    @strawberry.mutation(description="Add an account to the company's chart.")
    async def account_create(
        self, info: Info, input: Annotated[AccountCreateInput, arguments.INPUT]
    ) -> AccountPayload:  # type: ignore[valid-type]
        return await mutate(
            info,
            AccountPayload,
            lambda uow, company_id: chart.create_account(
                uow, company_id, code=input.code, name=input.name, account_type=input.account_type
            ),
        )

    @strawberry.mutation(description="Add a journal.")
    async def journal_create(
        self, info: Info, input: Annotated[JournalCreateInput, arguments.INPUT]
    ) -> JournalPayload:  # type: ignore[valid-type]
        async def work(uow: UnitOfWork, company_id: int) -> Any:
            account = (
                decode_id(input.default_account_id, "Account", "default_account_id")
                if input.default_account_id
                else None
            )
            return await chart.create_journal(
                uow,
                company_id,
                code=input.code,
                name=input.name,
                journal_type=input.type,
                default_account_id=account,
            )

        return await mutate(info, JournalPayload, work)

    @strawberry.mutation(
        description="Set (or with null lift) the date up to which books are locked."
    )
    async def lock_date_set(
        self,
        info: Info,
        lock_date: Annotated[
            dt.date | None, strawberry.argument(description="Refuse postings on or before it.")
        ],
    ) -> LockDatePayload:
        async def work(uow: UnitOfWork, company_id: int) -> dt.date | None:
            return (await chart.set_lock_date(uow, company_id, lock_date)).lock_date

        return await mutate(info, LockDatePayload, work)

    @strawberry.mutation(description="Create a draft journal entry.")
    async def entry_create(
        self, info: Info, input: Annotated[EntryCreateInput, arguments.INPUT]
    ) -> EntryPayload:  # type: ignore[valid-type]
        return await mutate(
            info,
            EntryPayload,
            lambda uow, company_id: ledger.create_entry(
                uow,
                company_id,
                journal_id=decode_id(input.journal_id, "Journal", "journal_id"),
                date=input.date,
                ref=input.ref,
                lines=input.line_values(),
            ),
        )

    @strawberry.mutation(description="Post a draft entry: balanced, after the lock date, numbered.")
    async def entry_post(self, info: Info, id: EntryId) -> EntryPayload:  # type: ignore[valid-type]
        return await _entry_step(info, id, "JournalEntry", EntryPayload, ledger.post_entry)

    @strawberry.mutation(description="Cancel a draft entry.")
    async def entry_cancel(self, info: Info, id: EntryId) -> EntryPayload:  # type: ignore[valid-type]
        return await _entry_step(info, id, "JournalEntry", EntryPayload, ledger.cancel_entry)

    @strawberry.mutation(description="Reverse a posted entry with a posted mirror entry.")
    async def entry_reverse(self, info: Info, id: EntryId) -> EntryPayload:  # type: ignore[valid-type]
        return await _entry_step(
            info,
            id,
            "JournalEntry",
            EntryPayload,
            lambda uow, c, e: ledger.reverse_entry(uow, c, e),
        )

    @strawberry.mutation(description="Create a draft invoice or bill by hand.")
    async def invoice_create(
        self, info: Info, input: Annotated[InvoiceCreateInput, arguments.INPUT]
    ) -> InvoicePayload:  # type: ignore[valid-type]
        async def work(uow: UnitOfWork, company_id: int) -> Any:
            term = (
                decode_id(input.payment_term_id, "PaymentTerm", "payment_term_id")
                if input.payment_term_id
                else None
            )
            return await invoices.create_invoice(
                uow,
                company_id,
                move_type=input.move_type,
                partner_id=decode_id(input.partner_id, "Partner", "partner_id"),
                date=input.date,
                lines=input.line_values(),
                payment_term_id=term,
                ref=input.ref,
                currency=input.currency,
            )

        return await mutate(info, InvoicePayload, work)

    @strawberry.mutation(
        description="Invoice what confirmed orders have to invoice, in one draft invoice. "
        "Invoicing again bills nothing twice."
    )
    async def invoice_create_from_orders(
        self, info: Info, input: Annotated[InvoiceFromOrdersInput, arguments.INPUT]
    ) -> InvoicePayload:  # type: ignore[valid-type]
        return await mutate(
            info,
            InvoicePayload,
            lambda uow, company_id: invoicing.invoice_orders(
                uow,
                company_id,
                decode_ids(input.order_ids, "SaleOrder", "order_ids"),
                date=input.date,
            ),
        )

    @strawberry.mutation(description="Post a draft invoice: numbered, frozen, due.")
    async def invoice_post(self, info: Info, id: EntryId) -> InvoicePayload:  # type: ignore[valid-type]
        return await _entry_step(info, id, "Invoice", InvoicePayload, invoices.post_invoice)

    @strawberry.mutation(
        description="Cancel a draft invoice; its quantities can be invoiced again."
    )
    async def invoice_cancel(self, info: Info, id: EntryId) -> InvoicePayload:  # type: ignore[valid-type]
        return await _entry_step(info, id, "Invoice", InvoicePayload, invoices.cancel_invoice)

    @strawberry.mutation(
        description="Credit a posted invoice (all or some lines): a posted credit note "
        "matched with it. Returns the credit note."
    )
    async def invoice_credit_note(
        self,
        info: Info,
        id: EntryId,
        input: Annotated[CreditNoteInput | None, arguments.INPUT] = None,
    ) -> InvoicePayload:  # type: ignore[valid-type]
        given = input or CreditNoteInput()

        async def work(uow: UnitOfWork, company_id: int) -> Any:
            quantities = (
                {
                    decode_id(line.line_id, "InvoiceLine", "line_id"): line.quantity
                    for line in given.lines
                }
                if given.lines is not None
                else None
            )
            return await invoices.create_credit_note(
                uow,
                company_id,
                decode_id(id, "Invoice", "id"),
                date=given.date,
                quantities=quantities,
                reason=given.reason,
            )

        return await mutate(info, InvoicePayload, work)

    @strawberry.mutation(
        description="Register a payment and match it with the invoices, oldest due first; "
        "an excess stays open as the partner's credit. The same idempotencyKey returns the "
        "first result."
    )
    async def payment_register(
        self, info: Info, input: Annotated[PaymentRegisterInput, arguments.INPUT]
    ) -> PaymentPayload:  # type: ignore[valid-type]
        return await mutate(
            info,
            PaymentPayload,
            lambda uow, company_id: payments.register_payment(
                uow,
                company_id,
                payment_type=input.payment_type,
                partner_id=decode_id(input.partner_id, "Partner", "partner_id"),
                amount=input.amount,
                journal_id=decode_id(input.journal_id, "Journal", "journal_id"),
                date=input.date,
                invoice_ids=decode_ids(input.invoice_ids, "Invoice", "invoice_ids"),
                memo=input.memo,
                idempotency_key=input.idempotency_key,
                currency=input.currency,
            ),
        )

    @strawberry.mutation(description="Settle an invoice with the partner's outstanding credits.")
    async def reconcile_outstanding(self, info: Info, id: EntryId) -> InvoicePayload:  # type: ignore[valid-type]
        return await _entry_step(info, id, "Invoice", InvoicePayload, payments.apply_outstanding)

    @strawberry.mutation(
        description="Undo every match of a payment's entry; its invoices reopen. Give the "
        "payment's ID."
    )
    async def reconcile_undo(self, info: Info, id: EntryId) -> PaymentPayload:  # type: ignore[valid-type]
        return await _entry_step(info, id, "Payment", PaymentPayload, payments.unmatch_payment)

    @strawberry.mutation(
        description="Cancel a payment entered by mistake: its matches are undone (its invoices "
        "reopen) and its entry is reversed. A cancelled payment stays listed."
    )
    async def payment_cancel(self, info: Info, id: EntryId) -> PaymentPayload:  # type: ignore[valid-type]
        return await _entry_step(info, id, "Payment", PaymentPayload, payments.cancel_payment)
