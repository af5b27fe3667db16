"""Payments against invoices: partial, full, over; outstanding credits; unreconcile."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from domain.accounting import ledger, payments, reconcile
from domain.accounting.errors import AccountingError, AccountingErrorCode
from domain.accounting.models import (
    Account,
    JournalEntry,
    JournalLine,
    PartialReconcile,
    Payment,
    PaymentState,
    PaymentStatus,
)
from domain.core.dispatcher import IdempotencyConflict
from domain.core.errors import CoreErrorCode
from tests.accounting_factories import invoice, lines_of, pay, reload, tax, term_id
from tests.conftest import Db
from tests.ledger import check_ledger_invariants
from tests.stock import make_customer


async def _invoice_230(db: Db, customer: int, split: bool = False) -> int:
    vat = await tax(db, "VAT 15%", "15")
    term = await term_id(db, "30% Now, Balance in 30 Days") if split else None
    return (await invoice(db, customer, [("2", "100.00", [vat])], term=term)).id


async def test_partial_then_full_payment(db: Db) -> None:
    customer = await make_customer(db)
    invoice_id = await _invoice_230(db, customer)
    payment = await pay(db, customer, "100.00", [invoice_id])
    assert await lines_of(db, payment.entry_id) == [
        ("1000", "100.00", "0.00", payment.date),
        ("1100", "0.00", "100.00", payment.date),
    ]
    partly = await reload(db, invoice_id)
    assert (partly.payment_state, partly.amount_residual) == (
        PaymentState.PARTIAL,
        Decimal("130.00"),
    )
    await pay(db, customer, "130.00", [invoice_id])
    paid = await reload(db, invoice_id)
    assert (paid.payment_state, paid.amount_residual) == (PaymentState.PAID, Decimal(0))


async def test_payment_settles_installments_oldest_due_first(db: Db) -> None:
    customer = await make_customer(db)
    invoice_id = await _invoice_230(db, customer, split=True)
    await pay(db, customer, "100.00", [invoice_id])
    async with db.sessions() as session:
        residuals = list(
            await session.scalars(
                select(JournalLine.amount_residual)
                .where(JournalLine.entry_id == invoice_id, JournalLine.amount_residual != 0)
                .order_by(JournalLine.id)
            )
        )
    # 69.00 due now is settled first; 31.00 goes on the 161.00 → 130.00 left.
    assert residuals == [Decimal("130.00")]


async def test_overpayment_leaves_a_credit_applied_to_the_next_invoice(db: Db) -> None:
    customer = await make_customer(db)
    first = await _invoice_230(db, customer)
    await pay(db, customer, "300.00", [first])
    assert (await reload(db, first)).payment_state is PaymentState.PAID
    second = (await invoice(db, customer, [("1", "50.00", [])])).id
    await db.run(lambda uow: payments.apply_outstanding(uow, db.company_id, second))
    # 300.00 − 230.00 = 70.00 outstanding; the 50.00 invoice takes 50.00 of it.
    assert (await reload(db, second)).payment_state is PaymentState.PAID
    async with db.sessions() as session:
        left = await session.scalar(
            select(func.sum(JournalLine.amount_residual)).where(JournalLine.partner_id == customer)
        )
    assert left == Decimal("-20.00")


async def test_unreconcile_reopens_the_invoice(db: Db) -> None:
    customer = await make_customer(db)
    invoice_id = await _invoice_230(db, customer)
    payment = await pay(db, customer, "230.00", [invoice_id])
    assert (await reload(db, invoice_id)).payment_state is PaymentState.PAID
    await db.run(lambda uow: reconcile.unreconcile_entry(uow, db.company_id, payment.entry_id))
    reopened = await reload(db, invoice_id)
    assert (reopened.payment_state, reopened.amount_residual) == (
        PaymentState.NOT_PAID,
        Decimal("230.00"),
    )
    assert await db.scalar(select(func.count()).select_from(PartialReconcile)) == 0


async def test_same_idempotency_key_returns_the_first_payment(db: Db) -> None:
    customer = await make_customer(db)
    invoice_id = await _invoice_230(db, customer)
    first = await pay(db, customer, "100.00", [invoice_id], key="pay-1")
    again = await pay(db, customer, "100.00", [invoice_id], key="pay-1")
    assert again.id == first.id
    assert await db.scalar(select(func.count()).select_from(Payment)) == 1
    assert (await reload(db, invoice_id)).amount_residual == Decimal("130.00")


async def test_same_idempotency_key_for_another_payment_is_refused(db: Db) -> None:
    customer = await make_customer(db)
    invoice_id = await _invoice_230(db, customer)
    await pay(db, customer, "100.00", [invoice_id], key="pay-1")
    with pytest.raises(IdempotencyConflict) as refused:
        await pay(db, customer, "120.00", [invoice_id], key="pay-1")
    assert (refused.value.code, refused.value.field) == (CoreErrorCode.INVALID, ["idempotency_key"])
    assert await db.scalar(select(func.count()).select_from(Payment)) == 1
    assert (await reload(db, invoice_id)).amount_residual == Decimal("130.00")


async def test_bad_payments_change_nothing(db: Db) -> None:
    customer = await make_customer(db)
    other = await make_customer(db, "Deco Addict")
    invoice_id = await _invoice_230(db, customer)
    for partner, amount in ((customer, "0"), (other, "10.00")):
        with pytest.raises(AccountingError):
            await pay(db, partner, amount, [invoice_id])
    assert await db.scalar(select(func.count()).select_from(Payment)) == 0
    assert (await reload(db, invoice_id)).payment_state is PaymentState.NOT_PAID


async def test_cancelled_payment_reopens_its_invoice_and_reverses_its_entry(db: Db) -> None:
    customer = await make_customer(db)
    invoice_id = await _invoice_230(db, customer)
    payment = await pay(db, customer, "100.00", [invoice_id])
    # Its entry is the payment's: it is cancelled, not reversed by hand.
    with pytest.raises(AccountingError) as by_hand:
        await db.run(lambda uow: ledger.reverse_entry(uow, db.company_id, payment.entry_id))
    assert by_hand.value.code is AccountingErrorCode.INVALID
    cancelled = await db.run(lambda uow: payments.cancel_payment(uow, db.company_id, payment.id))
    assert cancelled.status is PaymentStatus.CANCELLED
    reopened = await reload(db, invoice_id)
    assert (reopened.payment_state, reopened.amount_residual) == (
        PaymentState.NOT_PAID,
        Decimal("230.00"),
    )
    # Bank 1000: +100.00 − 100.00; the customer owes the whole 230.00 again.
    async with db.sessions() as session:
        owed = await session.scalar(
            select(func.sum(JournalLine.balance))
            .join(Account, Account.id == JournalLine.account_id)
            .where(JournalLine.partner_id == customer, Account.code == "1100")
        )
        reversal = await session.scalar(
            select(JournalEntry).where(JournalEntry.reversed_entry_id == payment.entry_id)
        )
    assert Decimal(owed) == Decimal("230.00")
    assert reversal is not None
    assert await lines_of(db, reversal.id) == [
        ("1000", "0.00", "100.00", payment.date),
        ("1100", "100.00", "0.00", payment.date),
    ]
    with pytest.raises(AccountingError) as twice:
        await db.run(lambda uow: payments.cancel_payment(uow, db.company_id, payment.id))
    assert (twice.value.code, twice.value.field) == (
        AccountingErrorCode.INVALID_TRANSITION,
        ["id"],
    )
    await check_ledger_invariants(db)


async def test_a_payment_on_account_is_cancelled_without_matches(db: Db) -> None:
    customer = await make_customer(db)
    payment = await pay(db, customer, "40.00", [])
    await db.run(lambda uow: payments.cancel_payment(uow, db.company_id, payment.id))
    async with db.sessions() as session:
        left = await session.scalar(
            select(func.sum(JournalLine.amount_residual)).where(JournalLine.partner_id == customer)
        )
    assert Decimal(left) == Decimal(0)
    await check_ledger_invariants(db)
