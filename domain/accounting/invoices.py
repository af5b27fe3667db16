"""Customer invoices, vendor bills and credit notes.

An invoice is a journal entry with commercial lines. Its journal lines follow from them:
one income (or expense) line per invoice line, one tax line per tax, and one receivable (or
payable) line per installment of the payment term, the last installment taking the rounding
remainder, so the entry always balances.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import TypedDict

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, insert, select

from domain.accounting import ledger
from domain.accounting.chart import journal_of_type, role_account
from domain.accounting.errors import AccountingError, AccountingErrorCode
from domain.accounting.events import InvoicedQuantitiesReleased, ReleasedQuantity
from domain.accounting.models import (
    EntryState,
    InvoiceLine,
    JournalEntry,
    JournalType,
    LineKind,
    MoveType,
    PaymentState,
    PaymentTerm,
    PaymentTermLine,
    invoice_line_tax,
)
from domain.accounting.reconcile import open_lines, reconcile_lines
from domain.catalog.models import ProductType, Tax, TaxUse
from domain.catalog.pricing import load_pricer
from domain.core.errors import DomainError
from domain.core.money import ZERO, CurrencyRule
from domain.core.origins import Origin
from domain.core.records import get_owned
from domain.core.services import conversion as conversion_on
from domain.core.services import currency_code
from domain.core.uow import UnitOfWork

HUNDRED = Decimal(100)
#: Per kind: the journal type, the tax use, the partner account's role, the product
#: account's role, the tax account's role, and the sign of product lines' balance.
KINDS: dict[MoveType, tuple[JournalType, TaxUse, str, str, str, int]] = {
    MoveType.OUT_INVOICE: (
        JournalType.SALE,
        TaxUse.SALE,
        "receivable",
        "income",
        "tax_payable",
        -1,
    ),
    MoveType.OUT_REFUND: (JournalType.SALE, TaxUse.SALE, "receivable", "income", "tax_payable", 1),
    MoveType.IN_INVOICE: (
        JournalType.PURCHASE,
        TaxUse.PURCHASE,
        "payable",
        "expense",
        "tax_receivable",
        1,
    ),
    MoveType.IN_REFUND: (
        JournalType.PURCHASE,
        TaxUse.PURCHASE,
        "payable",
        "expense",
        "tax_receivable",
        -1,
    ),
}
REFUND_OF = {MoveType.OUT_INVOICE: MoveType.OUT_REFUND, MoveType.IN_INVOICE: MoveType.IN_REFUND}


class InvoiceLineValues(TypedDict, total=False):
    """A commercial line as the caller gives it; taxes default to the product's."""

    product_id: int | None
    name: str
    quantity: Decimal
    #: The unit the quantity counts in; the product's by default.
    uom_id: int | None
    price_unit: Decimal
    discount: Decimal
    tax_ids: list[int] | None
    account_id: int | None
    #: The document line it invoices (a sales order line), kept on its credit notes.
    origin: Origin | None
    reversed_line_id: int | None


def installments(
    total: Decimal, terms: Sequence[tuple[Decimal, int]], date: dt.date, rule: CurrencyRule
) -> list[tuple[Decimal, dt.date]]:
    """(amount, due date) per installment; the last one takes what rounding left over."""
    if not terms:
        return [(total, date)]
    result = []
    remaining = total
    for index, (percent, days) in enumerate(terms):
        due = date + relativedelta(days=days)
        if index == len(terms) - 1:
            amount = remaining
        else:
            amount = rule.round(total * percent / HUNDRED)
            remaining -= amount
        result.append((amount, due))
    return result


async def _term_lines(
    uow: UnitOfWork, company_id: int, term_id: int | None
) -> list[tuple[Decimal, int]]:
    if term_id is None:
        return []
    term = await get_owned(uow.session, PaymentTerm, term_id, company_id)
    if term is None:
        raise AccountingError(
            AccountingErrorCode.NOT_FOUND, "No such payment term.", ["payment_term_id"]
        )
    rows = await uow.session.scalars(
        select(PaymentTermLine)
        .where(PaymentTermLine.term_id == term.id)
        .order_by(PaymentTermLine.sequence, PaymentTermLine.id)
    )
    return [(row.percent, row.days) for row in rows]


async def _taxes(
    uow: UnitOfWork, company_id: int, tax_ids: Sequence[int], use: TaxUse
) -> list[Tax]:
    taxes = list(
        await uow.session.scalars(
            select(Tax).where(Tax.id.in_(tax_ids), Tax.company_id == company_id)
        )
    )
    if len(taxes) != len(set(tax_ids)) or any(tax.type_tax_use is not use for tax in taxes):
        raise AccountingError(
            AccountingErrorCode.INVALID, f"Every tax must be a {use.value} tax.", ["tax_ids"]
        )
    return taxes


async def create_invoice(
    uow: UnitOfWork,
    company_id: int,
    *,
    move_type: MoveType,
    partner_id: int,
    date: dt.date,
    lines: Sequence[InvoiceLineValues],
    payment_term_id: int | None = None,
    ref: str | None = None,
    reversed_entry_id: int | None = None,
    currency: str | None = None,
) -> JournalEntry:
    """A draft invoice, bill or credit note with its journal lines, in `currency` (ISO code;
    the company's by default) converted at the rate of its date."""
    journal_type, use, partner_role, product_role, tax_role, sign = KINDS[move_type]
    if not lines:
        raise AccountingError(AccountingErrorCode.REQUIRED, "An invoice needs lines.", ["lines"])
    journal = await journal_of_type(uow, company_id, journal_type)
    partner = await ledger.get_partner(uow, company_id, partner_id, "partner_id")
    if payment_term_id is None and move_type in REFUND_OF:
        payment_term_id = partner.payment_term_id
    terms = await _term_lines(uow, company_id, payment_term_id)
    conversion = await conversion_on(uow, company_id, currency, date)
    rule = conversion.rule
    pricer = await load_pricer(
        uow, company_id, conversion, use, [values.get("product_id") for values in lines]
    )
    partner_account = await role_account(uow, company_id, partner_role)
    default_account = await role_account(uow, company_id, product_role)
    # Stocked goods on a bill clear what their receipt put on Stock Received Not Billed.
    received_account = (
        await role_account(uow, company_id, "stock_received_not_billed")
        if use is TaxUse.PURCHASE
        else None
    )
    tax_account = await role_account(uow, company_id, tax_role)
    entry = JournalEntry(
        company_id=company_id,
        journal_id=journal.id,
        date=date,
        ref=ref,
        partner_id=partner.id,
        currency_id=conversion.currency.id,
        move_type=move_type,
        payment_term_id=payment_term_id,
        reversed_entry_id=reversed_entry_id,
        state=EntryState.DRAFT,
    )
    uow.session.add(entry)
    await uow.session.flush()

    journal_lines: list[ledger.LineValues] = []
    tax_totals: dict[int, Decimal] = defaultdict(Decimal)
    tax_names: dict[int, str] = {}
    untaxed = tax_total = ZERO
    for index, values in enumerate(lines):
        field = ("lines", str(index))
        product_id = values.get("product_id")
        try:
            product = pricer.product(product_id) if product_id is not None else None
            uom = (
                pricer.unit(product, values.get("uom_id"))
                if product is not None
                else pricer.uoms.get(values.get("uom_id") or 0)
            )
            tax_ids = values.get("tax_ids")
            if tax_ids is not None:
                taxes = await _taxes(uow, company_id, tax_ids, use)
            else:
                taxes = pricer.taxes(product) if product is not None else []
            priced = pricer.price(
                product=product,
                uom=uom,
                quantity=values.get("quantity"),
                price_unit=values.get("price_unit"),
                discount=values.get("discount"),
                taxes=taxes,
            )
        except DomainError as error:
            raise error.at(*field) from None
        account_id = values.get("account_id") or (
            received_account.id
            if received_account and product and product.type is ProductType.STORABLE
            else default_account.id
        )
        name = (values.get("name") or "").strip() or (product.name if product else "")
        if not name:
            raise AccountingError(
                AccountingErrorCode.REQUIRED, "A line needs a description.", [*field, "name"]
            )
        amounts = priced.amounts
        line = InvoiceLine(
            entry_id=entry.id,
            sequence=10 * (index + 1),
            product_id=product.id if product else None,
            account_id=account_id,
            name=name,
            quantity=priced.quantity,
            uom_id=uom.id if uom is not None else None,
            price_unit=priced.price_unit,
            discount=priced.discount,
            price_subtotal=amounts.subtotal,
            price_tax=amounts.tax,
            price_total=amounts.total,
            origin=values.get("origin"),
            reversed_line_id=values.get("reversed_line_id"),
        )
        uow.session.add(line)
        await uow.session.flush()
        if taxes:
            await uow.session.execute(
                insert(invoice_line_tax), [{"line_id": line.id, "tax_id": t.id} for t in taxes]
            )
        untaxed += amounts.subtotal
        tax_total += amounts.tax
        for tax_line in amounts.taxes:
            tax_totals[tax_line.tax_id] += tax_line.amount
        tax_names.update({tax.id: tax.name for tax in taxes})
        journal_lines.append(_signed(sign, amounts.subtotal, account_id, name, LineKind.PRODUCT))
    for tax_id, amount in tax_totals.items():
        if amount:
            journal_lines.append(
                {
                    **_signed(sign, amount, tax_account.id, tax_names[tax_id], LineKind.TAX),
                    "tax_id": tax_id,
                }
            )
    total = untaxed + tax_total
    label = ref or ""
    for amount, due in installments(total, terms, date, rule):
        journal_lines.append(
            {
                **_signed(-sign, amount, partner_account.id, label, LineKind.PAYMENT_TERM),
                "date_maturity": due,
            }
        )
    await ledger.add_lines(
        uow, entry, ledger.in_company_currency(conversion, journal_lines), conversion.company_rule
    )
    entry.amount_untaxed, entry.amount_tax, entry.amount_total = untaxed, tax_total, total
    entry.amount_residual = total
    entry.invoice_date_due = max(
        (line.get("date_maturity") or date for line in journal_lines), default=date
    )
    entry.payment_state = PaymentState.NOT_PAID
    await uow.session.flush()
    return entry


def _signed(
    sign: int, amount: Decimal, account_id: int, label: str, kind: LineKind
) -> ledger.LineValues:
    """A debit when `sign` × amount is positive, else a credit."""
    value = sign * amount
    return {
        "account_id": account_id,
        "label": label,
        "debit": value if value > 0 else ZERO,
        "credit": -value if value < 0 else ZERO,
        "kind": kind,
    }


async def get_invoice(
    uow: UnitOfWork, company_id: int, invoice_id: int, *, lock: bool = False
) -> JournalEntry:
    entry = await ledger.get_entry(uow, company_id, invoice_id, lock=lock)
    if entry.move_type not in KINDS:
        raise AccountingError(AccountingErrorCode.NOT_FOUND, "No such invoice.", ["id"])
    return entry


async def post_invoice(uow: UnitOfWork, company_id: int, invoice_id: int) -> JournalEntry:
    await get_invoice(uow, company_id, invoice_id)
    return await ledger.post_entry(uow, company_id, invoice_id)


async def invoice_lines(uow: UnitOfWork, entry_id: int) -> list[InvoiceLine]:
    return list(
        await uow.session.scalars(
            select(InvoiceLine)
            .where(InvoiceLine.entry_id == entry_id)
            .order_by(InvoiceLine.sequence, InvoiceLine.id)
        )
    )


async def cancel_invoice(uow: UnitOfWork, company_id: int, invoice_id: int) -> JournalEntry:
    """Cancel a draft invoice; what it invoiced becomes invoiceable again."""
    invoice = await get_invoice(uow, company_id, invoice_id)
    await ledger.cancel_entry(uow, company_id, invoice_id)
    lines = await invoice_lines(uow, invoice.id)
    await _release(uow, invoice, [(line, line.quantity) for line in lines])
    return invoice


async def _release(
    uow: UnitOfWork, entry: JournalEntry, lines: Sequence[tuple[InvoiceLine, Decimal]]
) -> None:
    released = tuple(
        ReleasedQuantity(origin=line.origin, quantity=quantity)
        for line, quantity in lines
        if line.origin is not None
    )
    if released:
        await uow.publish(
            InvoicedQuantitiesReleased(
                company_id=entry.company_id, entry_id=entry.id, lines=released
            )
        )


async def create_credit_note(
    uow: UnitOfWork,
    company_id: int,
    invoice_id: int,
    *,
    date: dt.date | None = None,
    quantities: dict[int, Decimal] | None = None,
    reason: str | None = None,
) -> JournalEntry:
    """A posted credit note for the invoice (all of it, or `quantities` per invoice line),
    matched with the invoice's open amount; the quantities credited of lines with an origin
    are released (`InvoicedQuantitiesReleased`)."""
    invoice = await get_invoice(uow, company_id, invoice_id, lock=True)
    if invoice.move_type not in REFUND_OF or invoice.state is not EntryState.POSTED:
        raise AccountingError(
            AccountingErrorCode.INVALID_TRANSITION, "Only posted invoices and bills are credited."
        )
    lines = await invoice_lines(uow, invoice.id)
    credited: dict[int | None, Decimal] = {
        line_id: quantity
        for line_id, quantity in (
            await uow.session.execute(
                select(InvoiceLine.reversed_line_id, func.sum(InvoiceLine.quantity))
                .join(JournalEntry, JournalEntry.id == InvoiceLine.entry_id)
                .where(
                    InvoiceLine.reversed_line_id.in_([line.id for line in lines]),
                    JournalEntry.state != EntryState.CANCEL,
                )
                .group_by(InvoiceLine.reversed_line_id)
            )
        )
    }
    wanted = quantities if quantities is not None else {line.id: line.quantity for line in lines}
    by_id = {line.id: line for line in lines}
    chosen: list[tuple[InvoiceLine, Decimal]] = []
    for line_id, quantity in wanted.items():
        line = by_id.get(line_id)
        if line is None:
            raise AccountingError(
                AccountingErrorCode.NOT_FOUND, "No such line on the invoice.", ["lines"]
            )
        left = line.quantity - Decimal(credited.get(line.id) or 0)
        if quantity <= 0 or quantity > left:
            raise AccountingError(
                AccountingErrorCode.INVALID,
                f"Between 0 and {left.normalize()} of {line.name!r} can still be credited.",
                ["lines", "quantity"],
            )
        chosen.append((line, quantity))
    if not chosen:
        raise AccountingError(AccountingErrorCode.REQUIRED, "Nothing to credit.", ["lines"])
    tax_ids: dict[int, list[int]] = defaultdict(list)
    for line_id, tax_id in await uow.session.execute(
        select(invoice_line_tax.c.line_id, invoice_line_tax.c.tax_id).where(
            invoice_line_tax.c.line_id.in_([line.id for line, _ in chosen])
        )
    ):
        tax_ids[line_id].append(tax_id)
    credit_note = await create_invoice(
        uow,
        company_id,
        move_type=REFUND_OF[invoice.move_type],
        partner_id=invoice.partner_id or 0,
        date=date or invoice.date,
        ref=reason or f"Credit note of {invoice.number}",
        reversed_entry_id=invoice.id,
        currency=await currency_code(uow, invoice.currency_id),
        lines=[
            {
                "product_id": line.product_id,
                "name": line.name,
                "quantity": quantity,
                "uom_id": line.uom_id,
                "price_unit": line.price_unit,
                "discount": line.discount,
                "tax_ids": tax_ids[line.id],
                "account_id": line.account_id,
                "origin": line.origin,
                "reversed_line_id": line.id,
            }
            for line, quantity in chosen
        ],
    )
    await ledger.post_entry(uow, company_id, credit_note.id)
    to_match = await open_lines(uow, company_id, [invoice.id, credit_note.id])
    if len({line.entry_id for line in to_match}) == 2:
        await reconcile_lines(uow, company_id, to_match)
    await _release(uow, invoice, chosen)
    return credit_note
