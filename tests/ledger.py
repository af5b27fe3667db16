"""Invariants of the books that any test can check after any sequence of operations."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select

from domain.accounting import reports
from domain.accounting.models import (
    Account,
    AccountType,
    EntryState,
    Journal,
    JournalEntry,
    JournalLine,
    JournalType,
    LineKind,
    MoveType,
    PartialReconcile,
    PaymentState,
)
from domain.core.models import Company
from domain.inventory.models import Location, LocationUsage, ProductCost, Quant, ValuationLayer
from tests.conftest import Db

D = Decimal
CENT = D("0.01")
ZERO = D(0)
#: Signs of an invoice's residual in its receivable or payable lines' terms.
RESIDUAL_SIGN = {
    MoveType.OUT_INVOICE: 1,
    MoveType.OUT_REFUND: -1,
    MoveType.IN_INVOICE: -1,
    MoveType.IN_REFUND: 1,
}


async def stock_account_balance(db: Db) -> Decimal:
    balance = await db.scalar(
        select(func.coalesce(func.sum(JournalLine.balance), 0))
        .join(Account, Account.id == JournalLine.account_id)
        .where(Account.company_id == db.company_id, Account.role == "stock_valuation")
    )
    return D(balance).quantize(CENT)


async def check_valuation_invariants(db: Db) -> None:
    """Σ layer values = Stock Valuation balance = Σ on hand × average cost, to the cent; every
    Stock-journal entry is posted and balances; each product's cost matches its quants."""
    async with db.sessions() as session:
        layer_total = D(
            await session.scalar(select(func.coalesce(func.sum(ValuationLayer.value), 0)))
        )
        on_hand: dict[int, Decimal] = defaultdict(Decimal)
        for product_id, quantity in await session.execute(
            select(Quant.product_id, Quant.quantity)
            .join(Location, Location.id == Quant.location_id)
            .where(Location.usage == LocationUsage.INTERNAL)
        ):
            on_hand[product_id] += quantity
        costs = list(await session.scalars(select(ProductCost)))
        entries = list(
            await session.execute(
                select(
                    JournalEntry.id,
                    JournalEntry.state,
                    func.sum(JournalLine.debit),
                    func.sum(JournalLine.credit),
                )
                .join(JournalLine, JournalLine.entry_id == JournalEntry.id)
                .join(Journal, Journal.id == JournalEntry.journal_id)
                .where(Journal.type == JournalType.STOCK)
                .group_by(JournalEntry.id, JournalEntry.state)
            )
        )
    assert layer_total.quantize(CENT) == await stock_account_balance(db)
    assert {c.product_id: c.quantity for c in costs if c.quantity} == {
        product_id: quantity for product_id, quantity in on_hand.items() if quantity
    }
    priced = sum(((c.quantity * c.average_cost).quantize(CENT) for c in costs), D(0))
    assert priced == layer_total.quantize(CENT)
    assert sum((c.value for c in costs), D(0)) == layer_total
    for entry_id, state, debit, credit in entries:
        assert state.value == "posted", entry_id
        assert debit == credit and debit > 0, entry_id


async def check_ledger_invariants(db: Db) -> None:
    """Every posted entry balances; the trial balance sums to zero; on receivable and payable
    accounts each partner's balance is what their open invoices, credit notes and unapplied
    payments say; matches are consistent with residuals and payment states."""
    async with db.sessions() as session:
        lines = list(
            await session.execute(
                select(JournalLine, Account.account_type, JournalEntry)
                .join(Account, Account.id == JournalLine.account_id)
                .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
                .where(JournalEntry.state == EntryState.POSTED)
            )
        )
        partials = list(await session.scalars(select(PartialReconcile)))
        company_currency_id = await session.scalar(
            select(Company.currency_id).where(Company.id == db.company_id)
        )
        rows = await reports.trial_balance(
            session.execute, db.company_id, dt.date(1900, 1, 1), dt.date(2999, 12, 31)
        )
    assert sum((row.closing for row in rows), ZERO) == ZERO
    # Summed in Python: exact on every dialect.
    entry_balances: dict[int, Decimal] = defaultdict(Decimal)
    for line, _, entry in lines:
        entry_balances[entry.id] += line.debit - line.credit
    assert {entry_id for entry_id, total in entry_balances.items() if total} == set()

    partner_types = (AccountType.ASSET_RECEIVABLE, AccountType.LIABILITY_PAYABLE)
    balances: dict[tuple[int | None, AccountType], Decimal] = defaultdict(Decimal)
    from_documents: dict[tuple[int | None, AccountType], Decimal] = defaultdict(Decimal)
    matched: dict[int, Decimal] = defaultdict(Decimal)
    matched_currency: dict[int, Decimal] = defaultdict(Decimal)
    for partial in partials:
        # A match is worth something in at least one currency.
        assert partial.amount >= 0
        assert partial.amount or partial.debit_amount_currency or partial.credit_amount_currency
        matched[partial.debit_line_id] += partial.amount
        matched[partial.credit_line_id] -= partial.amount
        matched_currency[partial.debit_line_id] += partial.debit_amount_currency
        matched_currency[partial.credit_line_id] -= partial.credit_amount_currency
    invoices: dict[int, JournalEntry] = {}
    for line, account_type, entry in lines:
        assert line.balance == line.debit - line.credit and not (line.debit and line.credit)
        if account_type not in partner_types:
            continue
        key = (line.partner_id, account_type)
        balances[key] += line.balance
        # What is not matched stays open, and never more than the line itself.
        assert line.amount_residual == line.balance - matched[line.id], line.id
        assert abs(line.amount_residual) <= abs(line.balance)
        assert line.amount_residual_currency == (
            line.amount_currency - matched_currency[line.id]
        ), line.id
        # Settled in its currency means settled in ours: exchange differences close the gap.
        if line.amount_residual_currency == 0:
            assert line.amount_residual == 0, line.id
        assert line.reconciled == (
            line.amount_residual == 0 and line.amount_residual_currency == 0
        ), line.id
        if entry.move_type in RESIDUAL_SIGN:
            invoices[entry.id] = entry
        else:
            # Payments and other entries: unapplied amounts count as they are.
            from_documents[key] += line.amount_residual
    for invoice in invoices.values():
        account_type = (
            AccountType.ASSET_RECEIVABLE
            if invoice.move_type in (MoveType.OUT_INVOICE, MoveType.OUT_REFUND)
            else AccountType.LIABILITY_PAYABLE
        )
        key = (invoice.partner_id, account_type)
        terms = [
            line
            for line, _, entry in lines
            if entry.id == invoice.id and line.kind is LineKind.PAYMENT_TERM
        ]
        open_in_company_currency = sum((line.amount_residual for line in terms), ZERO)
        if invoice.currency_id == terms[0].currency_id == company_currency_id:
            assert open_in_company_currency == (
                RESIDUAL_SIGN[invoice.move_type] * invoice.amount_residual
            )
        from_documents[key] += open_in_company_currency
        open_lines = sum((line.amount_residual_currency for line in terms), ZERO)
        assert invoice.amount_residual == abs(open_lines), invoice.number
        assert ZERO <= invoice.amount_residual <= invoice.amount_total
        if invoice.amount_residual == invoice.amount_total:
            assert invoice.payment_state is PaymentState.NOT_PAID, invoice.number
        elif invoice.amount_residual:
            assert invoice.payment_state is PaymentState.PARTIAL, invoice.number
        else:
            assert invoice.payment_state in (PaymentState.PAID, PaymentState.REVERSED)
    assert {k: v for k, v in balances.items() if v} == {
        k: v for k, v in from_documents.items() if v
    }
