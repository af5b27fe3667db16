"""Accounts, journals, payment terms, journal entries and their lines, invoice lines,
reconciliation records and payments.

An invoice or a bill is a journal entry whose `move_type` says which; its commercial lines
(product, quantity, price, taxes) are `InvoiceLine`s and its accounting lines `JournalLine`s.
Amounts on journal lines are in the company's currency; `balance` is debit − credit, and
`amount_currency` is the same amount in the line's own currency (an invoice in USD keeps its
dollars there, converted into the company's currency at the invoice date's rate).
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Index, Numeric, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.db import Base, CompanyOwned, OwnedThrough, Timestamped, utcnow
from domain.core.models import MONEY, QUANTITY
from domain.core.origins import HasOrigin, origin_index


class AccountType(enum.Enum):
    """What an account holds; drives the balance sheet, profit and loss and reconciliation."""

    ASSET_RECEIVABLE = "asset_receivable"
    ASSET_CASH = "asset_cash"
    ASSET_CURRENT = "asset_current"
    ASSET_NON_CURRENT = "asset_non_current"
    LIABILITY_PAYABLE = "liability_payable"
    LIABILITY_CURRENT = "liability_current"
    LIABILITY_NON_CURRENT = "liability_non_current"
    EQUITY = "equity"
    INCOME = "income"
    INCOME_OTHER = "income_other"
    EXPENSE = "expense"
    EXPENSE_DIRECT_COST = "expense_direct_cost"


ASSET_TYPES = frozenset(
    {
        AccountType.ASSET_RECEIVABLE,
        AccountType.ASSET_CASH,
        AccountType.ASSET_CURRENT,
        AccountType.ASSET_NON_CURRENT,
    }
)
LIABILITY_TYPES = frozenset(
    {
        AccountType.LIABILITY_PAYABLE,
        AccountType.LIABILITY_CURRENT,
        AccountType.LIABILITY_NON_CURRENT,
    }
)
INCOME_TYPES = frozenset({AccountType.INCOME, AccountType.INCOME_OTHER})
EXPENSE_TYPES = frozenset({AccountType.EXPENSE, AccountType.EXPENSE_DIRECT_COST})
#: Accounts whose lines are matched against each other (invoices with payments).
RECONCILABLE_TYPES = frozenset({AccountType.ASSET_RECEIVABLE, AccountType.LIABILITY_PAYABLE})


class JournalType(enum.Enum):
    """What a journal records: sales, purchases, bank, cash, stock or miscellaneous entries."""

    SALE = "sale"
    PURCHASE = "purchase"
    BANK = "bank"
    CASH = "cash"
    GENERAL = "general"
    STOCK = "stock"


class EntryState(enum.Enum):
    """`draft → posted`, `draft → cancel`. Posted entries are frozen; reverse them instead."""

    DRAFT = "draft"
    POSTED = "posted"
    CANCEL = "cancel"


class MoveType(enum.Enum):
    """A plain entry, or the kind of invoice it is."""

    ENTRY = "entry"
    OUT_INVOICE = "out_invoice"
    OUT_REFUND = "out_refund"
    IN_INVOICE = "in_invoice"
    IN_REFUND = "in_refund"


INVOICE_TYPES = frozenset(
    {MoveType.OUT_INVOICE, MoveType.OUT_REFUND, MoveType.IN_INVOICE, MoveType.IN_REFUND}
)


class PaymentState(enum.Enum):
    """How far an invoice is settled: not paid, partly, fully, or cancelled by a credit note."""

    NOT_PAID = "not_paid"
    PARTIAL = "partial"
    PAID = "paid"
    REVERSED = "reversed"


class LineKind(enum.Enum):
    """What a journal line of an invoice stands for."""

    PRODUCT = "product"
    TAX = "tax"
    PAYMENT_TERM = "payment_term"
    OTHER = "other"


class PaymentType(enum.Enum):
    """Money coming in (from a customer) or going out (to a vendor)."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"


class PaymentStatus(enum.Enum):
    """`posted → cancelled`: a cancelled payment's matches are undone and its entry reversed."""

    POSTED = "posted"
    CANCELLED = "cancelled"


class Account(CompanyOwned, Base):
    """An account of the company's chart, e.g. 1100 Accounts Receivable."""

    __tablename__ = "account"
    __table_args__ = (
        UniqueConstraint("company_id", "code"),
        UniqueConstraint("company_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    account_type: Mapped[AccountType]
    reconcile: Mapped[bool] = mapped_column(default=False)
    #: The part the account plays for the services (`receivable`, `income`, ...), if any.
    role: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(default=True)


class Journal(CompanyOwned, Base):
    """A book of entries numbered together: Sales (INV), Purchases (BILL), Bank (BNK) ..."""

    __tablename__ = "journal"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(120))
    type: Mapped[JournalType]
    #: The bank or cash account of a bank or cash journal.
    default_account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    active: Mapped[bool] = mapped_column(default=True)


class AccountingSettings(Base):
    """A company's accounting settings: the lock date."""

    __tablename__ = "accounting_settings"

    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), primary_key=True)
    #: Nothing may be posted on or before this date.
    lock_date: Mapped[dt.date | None]


class PaymentTerm(CompanyOwned, Base):
    """When an invoice falls due: at once, in 30 days, or in installments."""

    __tablename__ = "payment_term"
    __table_args__ = (UniqueConstraint("company_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))


class PaymentTermLine(OwnedThrough, Base):
    """One installment: `percent` of the total, due `days` after the invoice date.

    The last installment takes the rest, whatever its percent, so rounding never leaves a cent.
    """

    __tablename__ = "payment_term_line"
    owner = ("term_id", PaymentTerm)

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(
        ForeignKey("payment_term.id", ondelete="CASCADE"), index=True
    )
    sequence: Mapped[int] = mapped_column(default=10)
    percent: Mapped[Decimal] = mapped_column(Numeric(9, 4))
    days: Mapped[int] = mapped_column(default=0)


class JournalEntry(CompanyOwned, Timestamped, Base):
    """A journal entry; an invoice, bill or credit note when `move_type` says so."""

    __tablename__ = "journal_entry"
    __table_args__ = (UniqueConstraint("journal_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("journal.id"), index=True)
    #: Gap-free number given at posting, e.g. INV/2026/00001.
    number: Mapped[str | None] = mapped_column(String(40))
    state: Mapped[EntryState] = mapped_column(default=EntryState.DRAFT, index=True)
    move_type: Mapped[MoveType] = mapped_column(default=MoveType.ENTRY, index=True)
    date: Mapped[dt.date] = mapped_column(index=True)
    ref: Mapped[str | None] = mapped_column(String(200))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"), index=True)
    currency_id: Mapped[int] = mapped_column(ForeignKey("currency.id"))
    payment_term_id: Mapped[int | None] = mapped_column(ForeignKey("payment_term.id"))
    invoice_date_due: Mapped[dt.date | None]
    amount_untaxed: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    amount_tax: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    amount_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    #: What is still to pay, positive, in the entry's currency.
    amount_residual: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    payment_state: Mapped[PaymentState] = mapped_column(default=PaymentState.NOT_PAID)
    #: The entry this one reverses (a credit note's invoice).
    reversed_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("journal_entry.id"), index=True
    )
    posted_at: Mapped[dt.datetime | None]


class JournalLine(CompanyOwned, Base):
    """A debit or credit on one account. `date` copies the entry's, for reports."""

    __tablename__ = "journal_line"
    __table_args__ = (
        # A ledger section's lines in the order its pages read them (see accounting reports).
        Index(
            "ix_journal_line_company_account_position",
            "company_id",
            "account_id",
            "date",
            "entry_id",
            "id",
        ),
        Index(
            "ix_journal_line_company_partner_position",
            "company_id",
            "partner_id",
            "date",
            "entry_id",
            "id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("journal_entry.id", ondelete="CASCADE"), index=True
    )
    sequence: Mapped[int] = mapped_column(default=10)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"), index=True)
    label: Mapped[str | None] = mapped_column(String(400))
    date: Mapped[dt.date]
    date_maturity: Mapped[dt.date | None]
    debit: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    credit: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    balance: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    currency_id: Mapped[int] = mapped_column(ForeignKey("currency.id"))
    amount_currency: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    kind: Mapped[LineKind] = mapped_column(default=LineKind.OTHER)
    tax_id: Mapped[int | None] = mapped_column(ForeignKey("tax.id"))
    #: Signed like `balance`: what is not matched yet, on reconcilable accounts.
    amount_residual: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    #: The same in the line's currency (equal to `amount_residual` in the company's).
    amount_residual_currency: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    reconciled: Mapped[bool] = mapped_column(default=False)


class InvoiceLine(HasOrigin, OwnedThrough, Base):
    """A commercial line of an invoice or bill: product, quantity, price, discount, taxes.

    Its `origin` is the document line it invoices (a sales order line), which its credit
    notes' lines keep; the ledger stores it without knowing the area behind it.
    """

    __tablename__ = "invoice_line"
    __table_args__ = (origin_index("invoice_line"),)
    owner = ("entry_id", JournalEntry)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("journal_entry.id", ondelete="CASCADE"), index=True
    )
    sequence: Mapped[int] = mapped_column(default=10)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    name: Mapped[str] = mapped_column(String(4000))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    #: The unit `quantity` counts in: the product's, or the sales line's it invoices.
    uom_id: Mapped[int | None] = mapped_column(ForeignKey("uom.id"))
    price_unit: Mapped[Decimal] = mapped_column(MONEY)
    discount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    price_subtotal: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    price_tax: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    price_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    #: For a credit note's line: the invoice line it credits.
    reversed_line_id: Mapped[int | None] = mapped_column(ForeignKey("invoice_line.id"))


#: The taxes applied to an invoice line.
invoice_line_tax = Table(
    "invoice_line_tax",
    Base.metadata,
    Column("line_id", ForeignKey("invoice_line.id", ondelete="CASCADE"), primary_key=True),
    Column("tax_id", ForeignKey("tax.id"), primary_key=True),
)


class PartialReconcile(CompanyOwned, Base):
    """`amount` of a debit line matched with a credit line on the same reconcilable account.

    `amount` is in the company's currency; each side's share in its own line's currency is
    kept too, so undoing the match restores both residuals exactly.
    """

    __tablename__ = "partial_reconcile"

    id: Mapped[int] = mapped_column(primary_key=True)
    debit_line_id: Mapped[int] = mapped_column(ForeignKey("journal_line.id"), index=True)
    credit_line_id: Mapped[int] = mapped_column(ForeignKey("journal_line.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    debit_amount_currency: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    credit_amount_currency: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    #: On the match of an exchange difference: the entry that books it, and the match whose
    #: rates left the difference (undoing that one undoes this one).
    exchange_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("journal_entry.id"), index=True
    )
    exchange_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("partial_reconcile.id"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Payment(CompanyOwned, Timestamped, Base):
    """Money received from a customer or paid to a vendor, through a bank or cash journal."""

    __tablename__ = "payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_type: Mapped[PaymentType]
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("journal.id"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entry.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency_id: Mapped[int] = mapped_column(ForeignKey("currency.id"))
    date: Mapped[dt.date]
    memo: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[PaymentStatus] = mapped_column(default=PaymentStatus.POSTED)


class StatementLineState(enum.Enum):
    """`open → reconciled`, and `reconciled → open` when the reconciliation is undone."""

    OPEN = "open"
    RECONCILED = "reconciled"


class BankStatement(CompanyOwned, Timestamped, Base):
    """What a bank or cash journal's account saw over a period, line by line, as imported.

    Its lines never change after the import, so `lines_total` is kept with it.
    """

    __tablename__ = "bank_statement"
    __table_args__ = (UniqueConstraint("journal_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journal_id: Mapped[int] = mapped_column(ForeignKey("journal.id"), index=True)
    #: Gap-free number per journal and year, e.g. BNK/ST/2026/00001.
    name: Mapped[str] = mapped_column(String(40))
    #: The bank's own reference of the statement, if it gives one.
    reference: Mapped[str | None] = mapped_column(String(200))
    date: Mapped[dt.date] = mapped_column(index=True)
    currency_id: Mapped[int] = mapped_column(ForeignKey("currency.id"))
    balance_start: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    balance_end: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    #: Sum of the lines' amounts.
    lines_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))


class BankStatementLine(CompanyOwned, Base):
    """One transaction of a statement: positive amounts came in, negative ones went out.

    `import_key` (the bank's transaction id, or a digest of date, amount, label and
    occurrence) is unique per journal, so importing a transaction again adds nothing.
    """

    __tablename__ = "bank_statement_line"
    __table_args__ = (UniqueConstraint("journal_id", "import_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("bank_statement.id", ondelete="CASCADE"), index=True
    )
    journal_id: Mapped[int] = mapped_column(ForeignKey("journal.id"))
    sequence: Mapped[int] = mapped_column(default=10)
    date: Mapped[dt.date]
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency_id: Mapped[int] = mapped_column(ForeignKey("currency.id"))
    #: What the bank printed: description and payment reference.
    label: Mapped[str] = mapped_column(String(400), default="")
    #: The counterparty's name as the file gives it.
    partner_name: Mapped[str | None] = mapped_column(String(200))
    #: The partner of that name, when exactly one has it; the payment's once reconciled.
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"), index=True)
    transaction_id: Mapped[str | None] = mapped_column(String(100))
    import_key: Mapped[str] = mapped_column(String(120))
    state: Mapped[StatementLineState] = mapped_column(default=StatementLineState.OPEN, index=True)
    #: The posted entry recording it: a payment's, or one against a counterpart account.
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entry.id"), index=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"), index=True)
