"""Accounts, journals, payment terms, journal entries, invoices, their lines and payments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from api.accounting.enums import (
    AccountingErrorCode,
    AccountType,
    EntryState,
    JournalType,
    LineKind,
    MoveType,
    PaymentState,
    PaymentStatus,
    PaymentType,
)
from api.accounting.loaders import invoice_payments
from api.context import Info
from api.core.types import Money, Uom, company_money, money
from api.errors import UserError
from api.nodes import ModelNode, quantity
from domain.accounting import models
from domain.catalog.models import Product as ProductModel
from domain.catalog.models import Tax as TaxModel
from domain.core.models import Uom as UomModel
from domain.partners.models import Partner as PartnerModel

if TYPE_CHECKING:
    from api.catalog.types import Product, Tax
    from api.partners.types import Partner


@strawberry.type(description="An accounting mutation refused its input.")
class AccountingError(UserError):
    codes = AccountingErrorCode
    code: AccountingErrorCode = strawberry.field(description="Stable machine-readable reason.")


@strawberry.type(description="An account of the company's chart, e.g. 1100 Accounts Receivable.")
class Account(ModelNode):
    model = models.Account
    code: str = strawberry.field(description="Code, unique in the company.")
    name: str = strawberry.field(description="Name.")
    account_type: AccountType = strawberry.field(description="What the account holds.")
    reconcile: bool = strawberry.field(description="Its lines are matched with payments.")
    active: bool = strawberry.field(description="False once archived.")


@strawberry.type(description="A book of entries numbered together, e.g. INV/2026/00001.")
class Journal(ModelNode):
    model = models.Journal
    code: str = strawberry.field(description="Short code prefixing entry numbers, e.g. INV.")
    name: str = strawberry.field(description="Name.")
    type: JournalType = strawberry.field(description="What the journal records.")
    default_account_id: strawberry.Private[int | None]

    @strawberry.field(description="The bank or cash account of a bank or cash journal.")
    async def default_account(self, info: Info) -> Account | None:
        if self.default_account_id is None:
            return None
        return await info.context.loaders.by_id(models.Account).load(self.default_account_id)  # type: ignore[return-value]


@strawberry.type(description="An installment of a payment term.")
class PaymentTermLine:
    percent: Decimal = strawberry.field(description="Share of the total, in percent.")
    days: int = strawberry.field(description="Due this many days after the invoice date.")


@strawberry.type(description="When invoices fall due: at once, in 30 days, or in installments.")
class PaymentTerm(ModelNode):
    model = models.PaymentTerm
    name: str = strawberry.field(description="Name, unique in the company.")

    @strawberry.field(description="Installments in order; the last takes the remainder.")
    async def lines(self, info: Info) -> list[PaymentTermLine]:
        loader = info.context.loaders.by_parent(
            models.PaymentTermLine.term_id, models.PaymentTermLine.sequence
        )
        rows = await loader.load(self.id)
        return [PaymentTermLine(percent=row.percent.normalize(), days=row.days) for row in rows]


@strawberry.type(description="A debit or credit on one account, part of a journal entry.")
class JournalLine(ModelNode):
    model = models.JournalLine
    label: str | None = strawberry.field(description="Label.")
    date: dt.date = strawberry.field(description="The entry's date.")
    date_maturity: dt.date | None = strawberry.field(description="When it falls due.")
    kind: LineKind = strawberry.field(description="What the line stands for on an invoice.")
    reconciled: bool = strawberry.field(description="Fully matched with other lines.")
    account_id: strawberry.Private[int]
    partner_id: strawberry.Private[int | None]
    currency_id: strawberry.Private[int]

    @strawberry.field(description="Debit amount, in the company currency.")
    async def debit(self, info: Info, root: strawberry.Parent[models.JournalLine]) -> Money:
        return await company_money(info, root.debit, root.company_id)

    @strawberry.field(description="Credit amount, in the company currency.")
    async def credit(self, info: Info, root: strawberry.Parent[models.JournalLine]) -> Money:
        return await company_money(info, root.credit, root.company_id)

    @strawberry.field(
        description="Debit − credit not yet matched, in the company currency; 0 off "
        "reconcilable accounts."
    )
    async def amount_residual(
        self, info: Info, root: strawberry.Parent[models.JournalLine]
    ) -> Money:
        return await company_money(info, root.amount_residual, root.company_id)

    @strawberry.field(
        description="Debit − credit in the line's own currency (the invoice's or payment's): "
        "230.00 USD on the receivable of a USD invoice booked as 207.00 EUR."
    )
    async def amount_currency(
        self, info: Info, root: strawberry.Parent[models.JournalLine]
    ) -> Money:
        return await money(info, root.amount_currency, root.currency_id)

    @strawberry.field(description="What is not matched yet, in the line's own currency.")
    async def amount_residual_currency(
        self, info: Info, root: strawberry.Parent[models.JournalLine]
    ) -> Money:
        return await money(info, root.amount_residual_currency, root.currency_id)

    @strawberry.field(description="The account.")
    async def account(self, info: Info) -> Account:
        return await info.context.loaders.by_id(models.Account).load(self.account_id)  # type: ignore[return-value]

    @strawberry.field(description="The partner, on receivable and payable lines.")
    async def partner(
        self, info: Info
    ) -> Annotated[Partner, strawberry.lazy("api.partners.types")] | None:
        if self.partner_id is None:
            return None
        return await info.context.loaders.by_id(PartnerModel).load(self.partner_id)  # type: ignore[return-value]


@strawberry.type(description="A commercial line of an invoice or bill.")
class InvoiceLine(ModelNode):
    model = models.InvoiceLine
    name: str = strawberry.field(description="Description.")
    discount: Decimal = strawberry.field(description="Discount in percent.")
    product_id: strawberry.Private[int | None]
    entry_id: strawberry.Private[int]
    uom_id: strawberry.Private[int | None]

    @strawberry.field(description="Quantity invoiced, in `uom`.")
    def quantity(self, root: strawberry.Parent[models.InvoiceLine]) -> Decimal:
        return quantity(root.quantity)

    @strawberry.field(
        description="The unit the quantity counts in: the product's, or the sales line's it "
        "invoices; null for a line without product."
    )
    async def uom(self, info: Info) -> Uom | None:
        return await info.context.loaders.one(UomModel, self.uom_id)

    @strawberry.field(description="Price per unit, before discount.")
    async def price_unit(self, info: Info, root: strawberry.Parent[models.InvoiceLine]) -> Money:
        return await _entry_money(info, root.price_unit, root.entry_id)

    @strawberry.field(description="Amount without taxes, rounded.")
    async def price_subtotal(
        self, info: Info, root: strawberry.Parent[models.InvoiceLine]
    ) -> Money:
        return await _entry_money(info, root.price_subtotal, root.entry_id)

    @strawberry.field(description="Taxes of the line, each rounded, summed.")
    async def price_tax(self, info: Info, root: strawberry.Parent[models.InvoiceLine]) -> Money:
        return await _entry_money(info, root.price_tax, root.entry_id)

    @strawberry.field(description="Subtotal plus taxes.")
    async def price_total(self, info: Info, root: strawberry.Parent[models.InvoiceLine]) -> Money:
        return await _entry_money(info, root.price_total, root.entry_id)

    @strawberry.field(description="The product, if any.")
    async def product(
        self, info: Info
    ) -> Annotated[Product, strawberry.lazy("api.catalog.types")] | None:
        if self.product_id is None:
            return None
        return await info.context.loaders.by_id(ProductModel).load(self.product_id)  # type: ignore[return-value]

    @strawberry.field(description="Taxes applied to the line.")
    async def taxes(self, info: Info) -> list[Annotated[Tax, strawberry.lazy("api.catalog.types")]]:
        loader = info.context.loaders.linked(
            models.invoice_line_tax, "line_id", "tax_id", TaxModel, TaxModel.sequence, TaxModel.id
        )
        return await loader.load(self.id)  # type: ignore[return-value]


async def _entry_money(info: Info, amount: Decimal, entry_id: int) -> Money:
    entry = await info.context.loaders.by_id(models.JournalEntry).load(entry_id)
    assert entry is not None
    return await money(info, amount, entry.currency_id)


@strawberry.interface(name="Entry", description="What every journal entry has, invoice or not.")
class _EntryFields:
    number: str | None = strawberry.field(
        description="Number given at posting, e.g. MISC/2026/00001."
    )
    state: EntryState = strawberry.field(description="Where the entry stands.")
    date: dt.date = strawberry.field(description="Accounting date.")
    ref: str | None = strawberry.field(description="Reference, e.g. the orders invoiced.")
    posted_at: dt.datetime | None = strawberry.field(description="When it was posted.")
    journal_id: strawberry.Private[int]
    partner_id: strawberry.Private[int | None]
    currency_id: strawberry.Private[int]
    reversed_entry_id: strawberry.Private[int | None]

    @strawberry.field(description="The journal numbering it.")
    async def journal(self, info: Info) -> Journal:
        return await info.context.loaders.by_id(models.Journal).load(self.journal_id)  # type: ignore[return-value]

    @strawberry.field(description="The partner.")
    async def partner(
        self, info: Info
    ) -> Annotated[Partner, strawberry.lazy("api.partners.types")] | None:
        if self.partner_id is None:
            return None
        return await info.context.loaders.by_id(PartnerModel).load(self.partner_id)  # type: ignore[return-value]

    @strawberry.field(description="Its debits and credits, in order.")
    async def journal_lines(self, info: Info) -> list[JournalLine]:
        loader = info.context.loaders.by_parent(
            models.JournalLine.entry_id, models.JournalLine.sequence, models.JournalLine.id
        )
        return await loader.load(self.id)  # type: ignore[attr-defined]


def _is(obj: Any, invoice: bool) -> bool:
    return (
        isinstance(obj, models.JournalEntry) and (obj.move_type in models.INVOICE_TYPES) is invoice
    )


@strawberry.type(
    description="A journal entry that is not an invoice: payments, reversals, "
    "miscellaneous operations."
)
class JournalEntry(_EntryFields, ModelNode):
    model = models.JournalEntry

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, cls) or _is(obj, invoice=False)


@strawberry.type(
    description="A customer invoice or credit note, or a vendor bill or refund: an entry "
    "with commercial lines, numbered at posting (INV/2026/00001)."
)
class Invoice(_EntryFields, ModelNode):
    model = models.JournalEntry
    move_type: MoveType = strawberry.field(description="Which kind of invoice.")
    payment_state: PaymentState = strawberry.field(description="How far it is settled.")
    invoice_date_due: dt.date | None = strawberry.field(
        description="When its last installment falls due."
    )
    payment_term_id: strawberry.Private[int | None]

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, cls) or _is(obj, invoice=True)

    @strawberry.field(description="Sum of the lines' subtotals.")
    async def amount_untaxed(
        self, info: Info, root: strawberry.Parent[models.JournalEntry]
    ) -> Money:
        return await money(info, root.amount_untaxed, root.currency_id)

    @strawberry.field(description="Sum of the lines' taxes.")
    async def amount_tax(self, info: Info, root: strawberry.Parent[models.JournalEntry]) -> Money:
        return await money(info, root.amount_tax, root.currency_id)

    @strawberry.field(description="Untaxed amount plus taxes.")
    async def amount_total(self, info: Info, root: strawberry.Parent[models.JournalEntry]) -> Money:
        return await money(info, root.amount_total, root.currency_id)

    @strawberry.field(description="What is still to pay.")
    async def amount_residual(
        self, info: Info, root: strawberry.Parent[models.JournalEntry]
    ) -> Money:
        return await money(info, root.amount_residual, root.currency_id)

    @strawberry.field(description="Its commercial lines, in order.")
    async def lines(self, info: Info) -> list[InvoiceLine]:
        loader = info.context.loaders.by_parent(
            models.InvoiceLine.entry_id, models.InvoiceLine.sequence, models.InvoiceLine.id
        )
        return await loader.load(self.id)

    @strawberry.field(description="The payment term splitting it into installments.")
    async def payment_term(self, info: Info) -> PaymentTerm | None:
        if self.payment_term_id is None:
            return None
        return await info.context.loaders.by_id(models.PaymentTerm).load(self.payment_term_id)  # type: ignore[return-value]

    @strawberry.field(description="For a credit note: the invoice it credits.")
    async def reversed_invoice(self, info: Info) -> Invoice | None:
        if self.reversed_entry_id is None:
            return None
        return await info.context.loaders.by_id(models.JournalEntry).load(self.reversed_entry_id)  # type: ignore[return-value]

    @strawberry.field(description="Payments matched with it, oldest first.")
    async def payments(self, info: Info) -> list[Payment]:
        return await invoice_payments(info).load(self.id)  # type: ignore[return-value]


@strawberry.type(description="Money received from a customer or paid to a vendor.")
class Payment(ModelNode):
    model = models.Payment
    payment_type: PaymentType = strawberry.field(description="Which way the money went.")
    status: PaymentStatus = strawberry.field(description="Whether it stands or was cancelled.")
    date: dt.date = strawberry.field(description="Payment date.")
    memo: str | None = strawberry.field(description="Memo, e.g. the bank reference.")
    partner_id: strawberry.Private[int]
    journal_id: strawberry.Private[int]
    entry_id: strawberry.Private[int]
    currency_id: strawberry.Private[int]

    @strawberry.field(description="Amount paid.")
    async def amount(self, info: Info, root: strawberry.Parent[models.Payment]) -> Money:
        return await money(info, root.amount, root.currency_id)

    @strawberry.field(description="The customer or vendor.")
    async def partner(
        self, info: Info
    ) -> Annotated[Partner, strawberry.lazy("api.partners.types")]:
        return await info.context.loaders.by_id(PartnerModel).load(self.partner_id)  # type: ignore[return-value]

    @strawberry.field(description="The bank or cash journal.")
    async def journal(self, info: Info) -> Journal:
        return await info.context.loaders.by_id(models.Journal).load(self.journal_id)  # type: ignore[return-value]

    @strawberry.field(description="Its posted journal entry.")
    async def entry(self, info: Info) -> JournalEntry:
        return await info.context.loaders.by_id(models.JournalEntry).load(self.entry_id)  # type: ignore[return-value]
