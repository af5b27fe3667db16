"""An invoice is paid once: a second payment of a paid invoice is refused, also when both
run at the same time (PostgreSQL, real concurrent connections)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from domain.accounting import payments
from domain.accounting.chart import journal_of_type
from domain.accounting.errors import AccountingError, AccountingErrorCode
from domain.accounting.models import JournalType, Payment, PaymentState, PaymentType
from domain.core.uow import UnitOfWork
from tests.accounting_factories import DAY, invoice, pay, reload, tax
from tests.conftest import Db, postgres_only
from tests.ledger import check_ledger_invariants
from tests.service.test_inventory_concurrency import run_concurrently
from tests.stock import make_customer


async def _invoice_230(db: Db, customer: int, vat: int) -> int:
    """2 × 100.00 at 15 % VAT: 230.00."""
    return (await invoice(db, customer, [("2", "100.00", [vat])])).id


async def test_a_paid_invoice_is_not_paid_again(db: Db) -> None:
    customer = await make_customer(db)
    vat = await tax(db, "VAT 15%", "15")
    invoice_id = await _invoice_230(db, customer, vat)
    await pay(db, customer, "230.00", [invoice_id])
    with pytest.raises(AccountingError) as refused:
        await pay(db, customer, "230.00", [invoice_id])
    assert refused.value.code is AccountingErrorCode.ALREADY_PAID
    assert refused.value.field == ["invoice_ids", "0"]
    assert await db.scalar(select(func.count()).select_from(Payment)) == 1
    # A partly paid invoice still takes the rest.
    second = await _invoice_230(db, customer, vat)
    await pay(db, customer, "100.00", [second])
    await pay(db, customer, "130.00", [second])
    assert (await reload(db, second)).payment_state is PaymentState.PAID


@postgres_only
async def test_concurrent_full_payments_pay_the_invoice_once(db: Db) -> None:
    customer = await make_customer(db)
    invoice_id = await _invoice_230(db, customer, await tax(db, "VAT 15%", "15"))
    bank = (await db.run(lambda uow: journal_of_type(uow, db.company_id, JournalType.BANK))).id

    async def full_payment(uow: UnitOfWork) -> Payment:
        return await payments.register_payment(
            uow,
            db.company_id,
            payment_type=PaymentType.INBOUND,
            partner_id=customer,
            amount=Decimal("230.00"),
            journal_id=bank,
            date=DAY,
            invoice_ids=[invoice_id],
        )

    results = run_concurrently([full_payment] * 4)
    paid = [result for result in results if isinstance(result, Payment)]
    refused = [result for result in results if isinstance(result, AccountingError)]
    assert (len(paid), len(refused)) == (1, 3), results
    assert {error.code for error in refused} == {AccountingErrorCode.ALREADY_PAID}
    settled = await reload(db, invoice_id)
    assert (settled.payment_state, settled.amount_residual) == (PaymentState.PAID, Decimal(0))
    assert await db.scalar(select(func.count()).select_from(Payment)) == 1
    await check_ledger_invariants(db)
