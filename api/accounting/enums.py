"""Accounting enums as GraphQL enums; import them from here so they are described first."""

from __future__ import annotations

from api.enums import graphql_enum
from domain.accounting.errors import AccountingErrorCode
from domain.accounting.models import (
    AccountType,
    EntryState,
    JournalType,
    LineKind,
    MoveType,
    PaymentState,
    PaymentStatus,
    PaymentType,
)

__all__ = [
    "AccountType",
    "AccountingErrorCode",
    "EntryState",
    "JournalType",
    "LineKind",
    "MoveType",
    "PaymentState",
    "PaymentStatus",
    "PaymentType",
]

graphql_enum(
    AccountType,
    "What an account holds; decides where it shows in the balance sheet or profit and loss.",
    {
        "ASSET_RECEIVABLE": "What customers owe; reconcilable with payments.",
        "ASSET_CASH": "Bank and cash.",
        "ASSET_CURRENT": "Other current assets: stock, tax receivable.",
        "ASSET_NON_CURRENT": "Long-lived assets.",
        "LIABILITY_PAYABLE": "What we owe vendors; reconcilable with payments.",
        "LIABILITY_CURRENT": "Other current liabilities: tax payable.",
        "LIABILITY_NON_CURRENT": "Long-term debts.",
        "EQUITY": "The owners' capital.",
        "INCOME": "Sales revenue.",
        "INCOME_OTHER": "Other income, e.g. exchange gains.",
        "EXPENSE": "Expenses.",
        "EXPENSE_DIRECT_COST": "Cost of goods sold.",
    },
)
graphql_enum(
    JournalType,
    "What a journal records.",
    {
        "SALE": "Customer invoices and credit notes.",
        "PURCHASE": "Vendor bills and refunds.",
        "BANK": "Bank payments.",
        "CASH": "Cash payments.",
        "GENERAL": "Miscellaneous entries.",
        "STOCK": "Stock valuation entries.",
    },
)
graphql_enum(
    EntryState,
    "Where an entry stands. Allowed moves: draft → posted or cancel. Posted entries are "
    "frozen: correct them with a reversal or a credit note.",
    {
        "DRAFT": "Being prepared; counts in no report.",
        "POSTED": "In the books, numbered; frozen.",
        "CANCEL": "Given up before posting.",
    },
)
graphql_enum(
    MoveType,
    "A plain entry, or the kind of invoice it is.",
    {
        "ENTRY": "A journal entry that is not an invoice.",
        "OUT_INVOICE": "A customer invoice.",
        "OUT_REFUND": "A customer credit note.",
        "IN_INVOICE": "A vendor bill.",
        "IN_REFUND": "A vendor refund.",
    },
)
graphql_enum(
    PaymentState,
    "How far an invoice is settled.",
    {
        "NOT_PAID": "Nothing of it is settled.",
        "PARTIAL": "Part of it is settled.",
        "PAID": "Fully settled by payments (and credit notes).",
        "REVERSED": "Fully cancelled by credit notes.",
    },
)
graphql_enum(
    LineKind,
    "What a journal line of an invoice stands for.",
    {
        "PRODUCT": "Income or expense of an invoice line.",
        "TAX": "A tax amount.",
        "PAYMENT_TERM": "The partner's receivable or payable: one per installment.",
        "OTHER": "Any other line.",
    },
)
graphql_enum(
    PaymentType,
    "Which way money moves.",
    {
        "INBOUND": "Received from a customer.",
        "OUTBOUND": "Paid to a vendor.",
    },
)
graphql_enum(
    PaymentStatus,
    "Whether a payment stands. Allowed move: posted → cancelled (`paymentCancel`).",
    {
        "POSTED": "Recorded and posted.",
        "CANCELLED": "Entered by mistake: its matches undone, its entry reversed.",
    },
)
graphql_enum(
    AccountingErrorCode,
    "Why an accounting change was refused.",
    {
        "UNBALANCED": "Debits and credits differ.",
        "LOCKED_PERIOD": "The date is on or before the lock date.",
        "POSTED": "The entry is posted (or cancelled) and frozen; reverse it instead.",
        "NOTHING_TO_INVOICE": "The orders have nothing left to invoice.",
        "NOT_RECONCILABLE": "The lines cannot be matched with each other.",
        "ALREADY_PAID": "The invoice is paid (or credited) in full: nothing is left to pay.",
        "CURRENCY": "The currency is not supported here.",
    },
)
