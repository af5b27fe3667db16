"""Invoices and payments in another currency: rates by date, amounts kept in both currencies,
exchange differences booked when the rate moved between an invoice and its payment.

The company keeps its books in EUR. USD is worth 0.90 EUR from 1 March, 0.85 from 1 May and
1.00 from 1 June; 0.95 from 1 April.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from domain.accounting import chart, invoices, ledger, payments, reconcile
from domain.accounting.errors import AccountingError
from domain.accounting.models import (
    Account,
    JournalEntry,
    JournalLine,
    MoveType,
    PaymentState,
    PaymentType,
)
from domain.catalog.models import ProductType
from domain.core import services as core
from domain.core.errors import CoreError, CoreErrorCode
from domain.core.models import Currency, CurrencyRate
from domain.core.uow import UnitOfWork
from tests.accounting_factories import invoice, lines_of, pay, reload, tax
from tests.conftest import Db
from tests.ledger import check_ledger_invariants
from tests.stock import make_customer, make_product

MARCH, APRIL, MAY, JUNE = (dt.date(2026, month, 1) for month in (3, 4, 5, 6))


async def _usd_rates(db: Db) -> None:
    for date, rate in ((MARCH, "0.90"), (APRIL, "0.95"), (MAY, "0.85"), (JUNE, "1.00")):
        await db.run(
            lambda uow, date=date, rate=rate: core.set_currency_rate(
                uow, db.company_id, currency_code="usd", date=date, rate=Decimal(rate)
            )
        )


async def _usd_invoice_230(db: Db, customer: int) -> JournalEntry:
    """2 × 100.00 USD + 15 % = 230.00 USD on 1 March, at 0.90: 207.00 EUR."""
    vat = await tax(db, "VAT 15%", "15")
    return await invoice(db, customer, [("2", "100.00", [vat])], currency="USD", date=MARCH)


async def _lines(db: Db, entry_id: int) -> list[tuple[str, str, str, str, str]]:
    """(account code, debit, credit, amount in currency, currency) per line."""
    async with db.sessions() as session:
        rows = await session.execute(
            select(
                Account.code,
                JournalLine.debit,
                JournalLine.credit,
                JournalLine.amount_currency,
                Currency.code,
            )
            .join(Account, Account.id == JournalLine.account_id)
            .join(Currency, Currency.id == JournalLine.currency_id)
            .where(JournalLine.entry_id == entry_id)
            .order_by(JournalLine.sequence, JournalLine.id)
        )
        return [
            (code, f"{debit:.2f}", f"{credit:.2f}", f"{amount:.2f}", currency)
            for code, debit, credit, amount, currency in rows
        ]


async def _balance(db: Db, code: str, partner_id: int | None = None) -> Decimal:
    """Debit − credit of the account's posted lines (of one partner if given)."""
    query = (
        select(func.coalesce(func.sum(JournalLine.balance), 0))
        .join(Account, Account.id == JournalLine.account_id)
        .where(Account.company_id == db.company_id, Account.code == code)
    )
    if partner_id is not None:
        query = query.where(JournalLine.partner_id == partner_id)
    return Decimal(await db.scalar(query)).quantize(Decimal("0.01"))


async def _exchange_entries(db: Db) -> list[JournalEntry]:
    async with db.sessions() as session:
        return list(
            await session.scalars(
                select(JournalEntry)
                .where(JournalEntry.ref == "Exchange difference")
                .order_by(JournalEntry.id)
            )
        )


async def test_invoice_in_usd_posts_in_eur_at_its_dates_rate(db: Db) -> None:
    await _usd_rates(db)
    customer = await make_customer(db)
    posted = await _usd_invoice_230(db, customer)
    assert (posted.amount_untaxed, posted.amount_tax, posted.amount_total) == (
        Decimal("200.00"),
        Decimal("30.00"),
        Decimal("230.00"),
    )
    # 200 × 0.90 = 180.00, 30 × 0.90 = 27.00, 230 × 0.90 = 207.00.
    assert await _lines(db, posted.id) == [
        ("4000", "0.00", "180.00", "-200.00", "USD"),
        ("2100", "0.00", "27.00", "-30.00", "USD"),
        ("1100", "207.00", "0.00", "230.00", "USD"),
    ]
    assert (posted.amount_residual, posted.payment_state) == (
        Decimal("230.00"),
        PaymentState.NOT_PAID,
    )


async def test_the_latest_rate_on_or_before_the_date_applies(db: Db) -> None:
    await _usd_rates(db)
    customer = await make_customer(db)
    # 15 April: the 1 April rate, 0.95 → 100 USD = 95.00 EUR.
    posted = await invoice(
        db, customer, [("1", "100.00", [])], currency="USD", date=dt.date(2026, 4, 15)
    )
    assert [line[:3] for line in await _lines(db, posted.id)] == [
        ("4000", "0.00", "95.00"),
        ("1100", "95.00", "0.00"),
    ]


async def test_full_payment_at_a_higher_rate_books_an_exchange_gain(db: Db) -> None:
    await _usd_rates(db)
    customer = await make_customer(db)
    posted = await _usd_invoice_230(db, customer)
    payment = await pay(db, customer, "230.00", [posted.id], currency="USD", date=APRIL)
    # 230 USD at 0.95 = 218.50 EUR received for a receivable booked at 207.00.
    assert await _lines(db, payment.entry_id) == [
        ("1000", "218.50", "0.00", "230.00", "USD"),
        ("1100", "0.00", "218.50", "-230.00", "USD"),
    ]
    paid = await reload(db, posted.id)
    assert (paid.payment_state, paid.amount_residual) == (PaymentState.PAID, Decimal(0))
    [exchange] = await _exchange_entries(db)
    assert (exchange.date, exchange.number) == (APRIL, "MISC/2026/00001")
    assert await _lines(db, exchange.id) == [
        ("1100", "11.50", "0.00", "0.00", "USD"),
        ("4900", "0.00", "11.50", "-11.50", "EUR"),
    ]
    assert await _balance(db, "1100", customer) == Decimal("0.00")
    assert await _balance(db, "4900") == Decimal("-11.50")
    async with db.sessions() as session:
        residuals = set(
            await session.execute(
                select(JournalLine.amount_residual, JournalLine.amount_residual_currency).where(
                    JournalLine.partner_id == customer,
                    JournalLine.account_id.in_(select(Account.id).where(Account.code == "1100")),
                )
            )
        )
    assert residuals == {(Decimal(0), Decimal(0))}


async def test_partial_payments_at_two_rates_book_a_loss_then_a_gain(db: Db) -> None:
    await _usd_rates(db)
    customer = await make_customer(db)
    posted = await _usd_invoice_230(db, customer)
    # 100 USD on 1 May at 0.85 = 85.00 EUR settles 100/230 of 207.00 = 90.00: a 5.00 loss.
    await pay(db, customer, "100.00", [posted.id], currency="USD", date=MAY)
    partly = await reload(db, posted.id)
    assert (partly.payment_state, partly.amount_residual) == (
        PaymentState.PARTIAL,
        Decimal("130.00"),
    )
    [loss] = await _exchange_entries(db)
    assert [line[:3] for line in await _lines(db, loss.id)] == [
        ("1100", "0.00", "5.00"),
        ("6900", "5.00", "0.00"),
    ]
    # Open: 130 USD booked at 0.90 = 117.00 EUR.
    assert await _balance(db, "1100", customer) == Decimal("117.00")
    # The rest, 130 USD on 1 June at 1.00 = 130.00 EUR for 117.00: a 13.00 gain.
    await pay(db, customer, "130.00", [posted.id], currency="USD", date=JUNE)
    paid = await reload(db, posted.id)
    assert (paid.payment_state, paid.amount_residual) == (PaymentState.PAID, Decimal(0))
    _, gain = await _exchange_entries(db)
    assert [line[:3] for line in await _lines(db, gain.id)] == [
        ("1100", "13.00", "0.00"),
        ("4900", "0.00", "13.00"),
    ]
    # 215.00 EUR received for 207.00 booked: 8.00 gained in all.
    assert await _balance(db, "1100", customer) == Decimal("0.00")
    assert await _balance(db, "4900") + await _balance(db, "6900") == Decimal("-8.00")


async def test_unreconciling_reverses_the_exchange_difference(db: Db) -> None:
    await _usd_rates(db)
    customer = await make_customer(db)
    posted = await _usd_invoice_230(db, customer)
    payment = await pay(db, customer, "230.00", [posted.id], currency="USD", date=APRIL)
    await db.run(lambda uow: reconcile.unreconcile_entry(uow, db.company_id, payment.entry_id))
    reopened = await reload(db, posted.id)
    assert (reopened.payment_state, reopened.amount_residual) == (
        PaymentState.NOT_PAID,
        Decimal("230.00"),
    )
    exchange, reversal = await _exchange_entries(db) + [
        entry
        for entry in await _all_entries(db)
        if entry.reversed_entry_id is not None and entry.move_type is MoveType.ENTRY
    ]
    assert reversal.reversed_entry_id == exchange.id
    assert await _balance(db, "4900") == Decimal("0.00")
    # The payment is open again for its full 230 USD = 218.50 EUR, to apply elsewhere.
    assert await _balance(db, "1100", customer) == Decimal("-11.50")
    async with db.sessions() as session:
        open_payment = (
            await session.execute(
                select(JournalLine.amount_residual, JournalLine.amount_residual_currency).where(
                    JournalLine.entry_id == payment.entry_id, JournalLine.amount_residual != 0
                )
            )
        ).one()
    assert tuple(open_payment) == (Decimal("-218.50"), Decimal("-230.00"))
    # Matching again books the same gain once more.
    await db.run(lambda uow: payments.apply_outstanding(uow, db.company_id, posted.id))
    assert (await reload(db, posted.id)).payment_state is PaymentState.PAID
    assert await _balance(db, "4900") == Decimal("-11.50")


async def _all_entries(db: Db) -> list[JournalEntry]:
    async with db.sessions() as session:
        return list(await session.scalars(select(JournalEntry).order_by(JournalEntry.id)))


async def test_payment_in_eur_settles_a_usd_invoice_in_proportion(db: Db) -> None:
    await _usd_rates(db)
    customer = await make_customer(db)
    posted = await _usd_invoice_230(db, customer)
    # Half of 207.00 EUR settles half of 230 USD, whatever the day's rate.
    await pay(db, customer, "103.50", [posted.id], date=APRIL)
    half = await reload(db, posted.id)
    assert (half.payment_state, half.amount_residual) == (PaymentState.PARTIAL, Decimal("115.00"))
    await pay(db, customer, "103.50", [posted.id], date=APRIL)
    paid = await reload(db, posted.id)
    assert (paid.payment_state, paid.amount_residual) == (PaymentState.PAID, Decimal(0))
    assert await _exchange_entries(db) == []


async def test_vendor_bill_paid_at_a_higher_rate_books_a_loss(db: Db) -> None:
    await _usd_rates(db)
    vendor = await make_customer(db, "Wood Corner")
    bill = await invoice(
        db, vendor, [("1", "100.00", [])], move_type=MoveType.IN_INVOICE, currency="USD"
    )
    # Booked at 0.90 = 90.00 EUR; paid on 1 April at 0.95 = 95.00 EUR: 5.00 lost.
    await pay(
        db,
        vendor,
        "100.00",
        [bill.id],
        payment_type=PaymentType.OUTBOUND,
        currency="USD",
        date=APRIL,
    )
    assert (await reload(db, bill.id)).payment_state is PaymentState.PAID
    [loss] = await _exchange_entries(db)
    assert [line[:3] for line in await _lines(db, loss.id)] == [
        ("2000", "0.00", "5.00"),
        ("6900", "5.00", "0.00"),
    ]
    assert await _balance(db, "2000", vendor) == Decimal("0.00")


async def test_credit_note_of_a_usd_invoice_is_in_usd_and_reverses_it(db: Db) -> None:
    await _usd_rates(db)
    customer = await make_customer(db)
    posted = await _usd_invoice_230(db, customer)
    credit = await db.run(lambda uow: invoices.create_credit_note(uow, db.company_id, posted.id))
    assert credit.amount_total == Decimal("230.00")
    assert [line[4] for line in await _lines(db, credit.id)] == ["USD", "USD", "USD"]
    assert (await reload(db, posted.id)).payment_state is PaymentState.REVERSED
    assert await _balance(db, "1100", customer) == Decimal("0.00")


async def test_conversion_rounding_never_unbalances_the_entry(db: Db) -> None:
    await db.run(
        lambda uow: core.set_currency_rate(
            uow, db.company_id, currency_code="JPY", date=MARCH, rate=Decimal("0.006")
        )
    )
    customer = await make_customer(db)
    # Each 333 JPY line is 1.998 → 2.00 EUR; the 999 JPY receivable is 5.994 → 5.99 EUR,
    # so the receivable takes the 0.01 left over: 6.00.
    posted = await invoice(
        db, customer, [("1", "333", []), ("1", "333", []), ("1", "333", [])], currency="JPY"
    )
    assert [line[:4] for line in await _lines(db, posted.id)] == [
        ("4000", "0.00", "2.00", "-333.00"),
        ("4000", "0.00", "2.00", "-333.00"),
        ("4000", "0.00", "2.00", "-333.00"),
        ("1100", "6.00", "0.00", "999.00"),
    ]


async def test_documents_in_a_currency_without_a_rate_are_refused(db: Db) -> None:
    customer = await make_customer(db)
    with pytest.raises(CoreError) as refused:
        await invoice(db, customer, [("1", "100.00", [])], currency="USD")
    assert (refused.value.code, refused.value.field) == (CoreErrorCode.CURRENCY, ["currency"])
    await db.run(
        lambda uow: core.set_currency_rate(
            uow, db.company_id, currency_code="USD", date=APRIL, rate=Decimal("0.95")
        )
    )
    # A rate from April does not price a document of March.
    with pytest.raises(CoreError):
        await invoice(db, customer, [("1", "100.00", [])], currency="USD", date=MARCH)
    with pytest.raises(CoreError) as unknown:
        await invoice(db, customer, [("1", "100.00", [])], currency="XYZ")
    assert unknown.value.code is CoreErrorCode.CURRENCY
    assert await db.scalar(select(func.count()).select_from(JournalEntry)) == 0


async def test_rates_are_positive_foreign_and_one_per_day(db: Db) -> None:
    async def set_rate(code: str, rate: str) -> CurrencyRate:
        return await db.run(
            lambda uow: core.set_currency_rate(
                uow, db.company_id, currency_code=code, date=MARCH, rate=Decimal(rate)
            )
        )

    # Zero, negative, not a number, or lost in the 12 decimals the rate is kept to.
    for refused in ("0", "-1", "NaN", "Infinity", "0.0000000000004", "1e12"):
        with pytest.raises(CoreError) as error:
            await set_rate("USD", refused)
        assert (error.value.code, error.value.field) == (CoreErrorCode.INVALID, ["rate"])
    with pytest.raises(CoreError) as own:
        await set_rate("EUR", "1.1")
    assert own.value.field == ["currency"]
    await set_rate("USD", "0.90")
    await set_rate("USD", "0.92")
    async with db.sessions() as session:
        rows = await session.execute(select(CurrencyRate.date, CurrencyRate.rate))
        assert [(date, Decimal(rate)) for date, rate in rows] == [(MARCH, Decimal("0.92"))]


async def test_lines_of_company_currency_documents_keep_equal_amounts(db: Db) -> None:
    customer = await make_customer(db)
    posted = await invoice(db, customer, [("2", "100.00", [])])
    assert await lines_of(db, posted.id) == [
        ("4000", "0.00", "200.00", posted.date),
        ("1100", "200.00", "0.00", posted.date),
    ]
    assert [line[3:] for line in await _lines(db, posted.id)] == [
        ("-200.00", "EUR"),
        ("200.00", "EUR"),
    ]


async def test_exchange_reversal_of_a_locked_period_goes_after_the_lock_date(db: Db) -> None:
    await _usd_rates(db)
    customer = await make_customer(db)
    posted = await _usd_invoice_230(db, customer)
    payment = await pay(db, customer, "230.00", [posted.id], currency="USD", date=APRIL)
    await db.run(lambda uow: chart.set_lock_date(uow, db.company_id, dt.date(2026, 4, 30)))
    await db.run(lambda uow: reconcile.unreconcile_entry(uow, db.company_id, payment.entry_id))
    [exchange] = await _exchange_entries(db)
    [reversal] = [e for e in await _all_entries(db) if e.reversed_entry_id == exchange.id]
    assert (exchange.date, reversal.date) == (APRIL, dt.date(2026, 5, 1))
    assert await _balance(db, "4900") == Decimal("0.00")


async def test_a_products_price_converts_into_the_invoice_currency(db: Db) -> None:
    await _usd_rates(db)
    customer = await make_customer(db)
    desk = await make_product(db, "DESK", kind=ProductType.SERVICE, price="18.00")

    async def create(uow: UnitOfWork) -> JournalEntry:
        return await invoices.create_invoice(
            uow,
            db.company_id,
            move_type=MoveType.OUT_INVOICE,
            partner_id=customer,
            date=MARCH,
            currency="USD",
            lines=[{"product_id": desk, "quantity": Decimal(3)}],
        )

    draft = await db.run(create)
    # 18.00 EUR at 0.90 EUR per USD is 20.00 USD; 3 × 20.00 = 60.00 USD = 54.00 EUR.
    assert draft.amount_total == Decimal("60.00")
    assert [line[:4] for line in await _lines(db, draft.id)] == [
        ("4000", "0.00", "54.00", "-60.00"),
        ("1100", "54.00", "0.00", "60.00"),
    ]


async def test_undoing_one_payment_keeps_the_others_exchange_difference(db: Db) -> None:
    await _usd_rates(db)
    customer = await make_customer(db)
    # 100 USD on 1 March at 0.90: 90.00 EUR; each half is worth 45.00.
    posted = await invoice(db, customer, [("1", "100.00", [])], currency="USD", date=MARCH)
    # 50 USD on 1 April at 0.95 = 47.50: a 2.50 gain; 50 USD on 1 May at 0.85 = 42.50: a 2.50 loss.
    first = await pay(db, customer, "50.00", [posted.id], currency="USD", date=APRIL)
    await pay(db, customer, "50.00", [posted.id], currency="USD", date=MAY)
    assert (await reload(db, posted.id)).payment_state is PaymentState.PAID
    assert (await _balance(db, "4900"), await _balance(db, "6900")) == (
        Decimal("-2.50"),
        Decimal("2.50"),
    )
    await db.run(lambda uow: reconcile.unreconcile_entry(uow, db.company_id, first.entry_id))
    # Only the first payment's gain is reversed; the second payment's loss stands.
    assert (await _balance(db, "4900"), await _balance(db, "6900")) == (
        Decimal("0.00"),
        Decimal("2.50"),
    )
    reopened = await reload(db, posted.id)
    assert (reopened.payment_state, reopened.amount_residual) == (
        PaymentState.PARTIAL,
        Decimal("50.00"),
    )
    # Open: 45.00 EUR of the invoice, and the first payment's 47.50 EUR.
    assert await _balance(db, "1100", customer) == Decimal("-2.50")
    await check_ledger_invariants(db)


async def test_applying_two_credits_books_and_undoes_their_differences_apart(db: Db) -> None:
    await _usd_rates(db)
    customer = await make_customer(db)
    posted = await invoice(db, customer, [("1", "100.00", [])], currency="USD", date=MARCH)
    # Two payments on account: 50 USD at 0.95 = 47.50 and 50 USD at 1.00 = 50.00.
    first = await pay(db, customer, "50.00", [], currency="USD", date=APRIL)
    await pay(db, customer, "50.00", [], currency="USD", date=JUNE)
    await db.run(lambda uow: payments.apply_outstanding(uow, db.company_id, posted.id))
    # Each half of the invoice is worth 45.00: gains of 2.50 and 5.00, one entry each.
    assert len(await _exchange_entries(db)) == 2
    assert await _balance(db, "4900") == Decimal("-7.50")
    await db.run(lambda uow: reconcile.unreconcile_entry(uow, db.company_id, first.entry_id))
    assert await _balance(db, "4900") == Decimal("-5.00")
    assert (await reload(db, posted.id)).amount_residual == Decimal("50.00")
    await check_ledger_invariants(db)


async def test_the_last_yen_can_still_be_paid(db: Db) -> None:
    await db.run(
        lambda uow: core.set_currency_rate(
            uow, db.company_id, currency_code="JPY", date=MARCH, rate=Decimal("0.0062")
        )
    )
    customer = await make_customer(db)
    # 10000 JPY = 62.00 EUR; 9998 JPY = 61.99 EUR leaves 2 JPY worth 0.01 EUR.
    posted = await invoice(db, customer, [("1", "10000", [])], currency="JPY")
    await pay(db, customer, "9998", [posted.id], currency="JPY")
    # 1 JPY = 0.0062 → 0.01 EUR settles the last cent; 1 JPY is still owed.
    await pay(db, customer, "1", [posted.id], currency="JPY")
    partly = await reload(db, posted.id)
    assert (partly.payment_state, partly.amount_residual) == (PaymentState.PARTIAL, Decimal(1))
    # The last yen pays it: its 0.01 EUR is an exchange gain.
    await pay(db, customer, "1", [posted.id], currency="JPY")
    paid = await reload(db, posted.id)
    assert (paid.payment_state, paid.amount_residual) == (PaymentState.PAID, Decimal(0))
    assert await _balance(db, "4900") == Decimal("-0.01")
    assert await _balance(db, "1100", customer) == Decimal("0.00")
    await check_ledger_invariants(db)


async def test_an_exchange_difference_goes_only_with_its_match(db: Db) -> None:
    await _usd_rates(db)
    customer = await make_customer(db)
    posted = await _usd_invoice_230(db, customer)
    await pay(db, customer, "230.00", [posted.id], currency="USD", date=APRIL)
    [exchange] = await _exchange_entries(db)
    for undo in (ledger.reverse_entry, reconcile.unreconcile_entry):
        with pytest.raises(AccountingError) as refused:
            await db.run(lambda uow, undo=undo: undo(uow, db.company_id, exchange.id))
        assert refused.value.message == (
            "MISC/2026/00001 books an exchange difference; undo the match that caused it."
        )
    assert (await reload(db, posted.id)).payment_state is PaymentState.PAID
    await check_ledger_invariants(db)
