"""Inputs of the accounting mutations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry

from api.accounting.enums import AccountType, JournalType, MoveType, PaymentType
from api.ids import decode_id, decode_ids
from domain.accounting.invoices import InvoiceLineValues
from domain.accounting.ledger import LineValues
from domain.core.errors import DomainError


@strawberry.input(description="A new account.")
class AccountCreateInput:
    code: str = strawberry.field(description="Code, unique in the company.")
    name: str = strawberry.field(description="Name.")
    account_type: AccountType = strawberry.field(description="What it holds.")


@strawberry.input(description="A new journal.")
class JournalCreateInput:
    code: str = strawberry.field(description="Code (1 to 8 characters), prefixing numbers.")
    name: str = strawberry.field(description="Name.")
    type: JournalType = strawberry.field(description="What it records.")
    default_account_id: strawberry.ID | None = strawberry.field(
        default=None, description="Its bank or cash account (required for those)."
    )


@strawberry.input(description="A debit or a credit on an account.")
class EntryLineInput:
    account_id: strawberry.ID = strawberry.field(description="The account.")
    debit: Decimal = strawberry.field(default=Decimal(0), description="Debit amount.")
    credit: Decimal = strawberry.field(default=Decimal(0), description="Credit amount.")
    partner_id: strawberry.ID | None = strawberry.field(default=None, description="The partner.")
    label: str | None = strawberry.field(default=None, description="Label.")


@strawberry.input(description="A new draft journal entry.")
class EntryCreateInput:
    journal_id: strawberry.ID = strawberry.field(description="The journal.")
    date: dt.date = strawberry.field(description="Accounting date.")
    lines: list[EntryLineInput] = strawberry.field(description="Debits and credits.")
    ref: str | None = strawberry.field(default=None, description="Reference.")

    def line_values(self) -> tuple[LineValues, ...]:
        values = []
        for index, line in enumerate(self.lines):
            try:
                entry: LineValues = {
                    "account_id": decode_id(line.account_id, "Account", "account_id"),
                    "debit": line.debit,
                    "credit": line.credit,
                    "label": line.label,
                }
                if line.partner_id is not None:
                    entry["partner_id"] = decode_id(line.partner_id, "Partner", "partner_id")
            except DomainError as error:
                raise error.at("lines", str(index)) from None
            values.append(entry)
        return tuple(values)


@strawberry.input(description="A commercial line of an invoice or bill.")
class InvoiceLineInput:
    quantity: Decimal = strawberry.field(description="Quantity.")
    product_id: strawberry.ID | None = strawberry.field(default=None, description="The product.")
    name: str | None = strawberry.field(
        default=None, description="Description; the product's name by default."
    )
    price_unit: Decimal | None = strawberry.field(
        default=None, description="Unit price; the product's by default."
    )
    discount: Decimal = strawberry.field(default=Decimal(0), description="Discount in percent.")
    tax_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Taxes; the product's by default."
    )


@strawberry.input(description="A new draft invoice or bill entered by hand.")
class InvoiceCreateInput:
    move_type: MoveType = strawberry.field(description="Invoice, bill, or a credit note.")
    partner_id: strawberry.ID = strawberry.field(description="Customer or vendor.")
    date: dt.date = strawberry.field(description="Invoice date.")
    lines: list[InvoiceLineInput] = strawberry.field(description="Its lines.")
    payment_term_id: strawberry.ID | None = strawberry.field(
        default=None, description="Payment term; due at once when left out."
    )
    ref: str | None = strawberry.field(default=None, description="Reference, e.g. bill number.")
    currency: str | None = strawberry.field(
        default=None,
        description="ISO 4217 code of the invoice's currency; the company's when left out. "
        "Another currency needs a rate on or before the invoice date (`currencyRateSet`).",
    )

    def line_values(self) -> tuple[InvoiceLineValues, ...]:
        values = []
        for index, line in enumerate(self.lines):
            try:
                entry: InvoiceLineValues = {
                    "quantity": line.quantity,
                    "discount": line.discount,
                    "name": line.name or "",
                }
                if line.product_id is not None:
                    entry["product_id"] = decode_id(line.product_id, "Product", "product_id")
                if line.price_unit is not None:
                    entry["price_unit"] = line.price_unit
                if line.tax_ids is not None:
                    entry["tax_ids"] = decode_ids(line.tax_ids, "Tax", "tax_ids")
            except DomainError as error:
                raise error.at("lines", str(index)) from None
            values.append(entry)
        return tuple(values)


@strawberry.input(description="Confirmed sales orders to invoice together.")
class InvoiceFromOrdersInput:
    order_ids: list[strawberry.ID] = strawberry.field(description="The orders, of one customer.")
    date: dt.date | None = strawberry.field(default=None, description="Invoice date; today.")


@strawberry.input(description="A quantity of an invoice line to credit.")
class CreditNoteLineInput:
    line_id: strawberry.ID = strawberry.field(description="The invoice line.")
    quantity: Decimal = strawberry.field(description="How much of it to credit.")


@strawberry.input(description="A credit note for a posted invoice or bill.")
class CreditNoteInput:
    date: dt.date | None = strawberry.field(default=None, description="Its date; the invoice's.")
    reason: str | None = strawberry.field(default=None, description="Why it is credited.")
    lines: list[CreditNoteLineInput] | None = strawberry.field(
        default=None, description="What to credit; everything when left out."
    )

    def quantities(self) -> dict[int, Decimal] | None:
        """How much to credit by invoice line ID; None for everything."""
        if self.lines is None:
            return None
        return {
            decode_id(line.line_id, "InvoiceLine", "line_id"): line.quantity for line in self.lines
        }


@strawberry.input(description="A payment, matched with invoices oldest due first.")
class PaymentRegisterInput:
    payment_type: PaymentType = strawberry.field(description="Received or paid.")
    partner_id: strawberry.ID = strawberry.field(description="Customer or vendor.")
    amount: Decimal = strawberry.field(description="Amount, in `currency`.")
    journal_id: strawberry.ID = strawberry.field(description="The bank or cash journal.")
    date: dt.date = strawberry.field(description="Payment date.")
    invoice_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Invoices it pays; an excess stays as a credit."
    )
    memo: str | None = strawberry.field(default=None, description="Memo.")
    idempotency_key: str | None = strawberry.field(
        default=None, description="Retrying with the same key returns the first payment."
    )
    currency: str | None = strawberry.field(
        default=None,
        description="ISO 4217 code of the money paid; the company's when left out. Paying an "
        "invoice in its own currency at another rate books the exchange gain or loss.",
    )
