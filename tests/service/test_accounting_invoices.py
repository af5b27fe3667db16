"""Invoices, bills, payment terms, sales invoicing and credit notes, worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from domain.accounting import invoices
from domain.accounting.errors import AccountingError, AccountingErrorCode
from domain.accounting.models import MoveType, PaymentState
from domain.catalog.models import InvoicePolicy, TaxUse
from domain.core.errors import DomainError
from domain.sales import invoicing
from domain.sales import services as sales
from domain.sales.models import SaleOrderLine
from tests.accounting_factories import DAY, invoice, lines_of, reload, tax, term_id
from tests.conftest import Db
from tests.stock import make_customer, make_product


async def test_worked_example_entry(db: Db) -> None:
    customer = await make_customer(db)
    vat = await tax(db, "VAT 15%", "15")
    entry = await invoice(db, customer, [("2", "100.00", [vat])])
    # 2 × 100.00 = 200.00 untaxed; 15 % tax = 30.00; total 230.00.
    assert (entry.amount_untaxed, entry.amount_tax, entry.amount_total) == (
        Decimal("200.00"),
        Decimal("30.00"),
        Decimal("230.00"),
    )
    assert entry.number == "INV/2026/00001"
    # Income credit 200.00, tax payable credit 30.00, receivable debit 230.00 due at once.
    assert await lines_of(db, entry.id) == [
        ("4000", "0.00", "200.00", DAY),
        ("2100", "0.00", "30.00", DAY),
        ("1100", "230.00", "0.00", DAY),
    ]
    assert entry.payment_state is PaymentState.NOT_PAID
    assert entry.amount_residual == Decimal("230.00")


async def test_split_term_makes_one_receivable_line_per_installment(db: Db) -> None:
    customer = await make_customer(db)
    vat = await tax(db, "VAT 15%", "15")
    split = await term_id(db, "30% Now, Balance in 30 Days")
    entry = await invoice(db, customer, [("2", "100.00", [vat])], term=split)
    # 30 % of 230.00 = 69.00 now; the rest, 161.00, on 2026-03-31.
    assert (await lines_of(db, entry.id))[2:] == [
        ("1100", "69.00", "0.00", DAY),
        ("1100", "161.00", "0.00", dt.date(2026, 3, 31)),
    ]
    assert entry.invoice_date_due == dt.date(2026, 3, 31)


async def test_last_installment_takes_the_rounding_remainder(db: Db) -> None:
    customer = await make_customer(db)
    split = await term_id(db, "30% Now, Balance in 30 Days")
    entry = await invoice(db, customer, [("1", "0.05", [])], term=split)
    # 30 % of 0.05 = 0.015 → 0.02 (half up); the rest 0.03: the two add up to 0.05.
    assert [line[1] for line in (await lines_of(db, entry.id))[1:]] == ["0.02", "0.03"]


async def test_tax_included_price_splits_exactly(db: Db) -> None:
    customer = await make_customer(db)
    included = await tax(db, "VAT 15% incl.", "15", price_include=True)
    entry = await invoice(db, customer, [("2", "5.00", [included])])
    # 10.00 including 15 %: tax 10 − 10/1.15 = 1.304… → 1.30; untaxed 8.70.
    assert await lines_of(db, entry.id) == [
        ("4000", "0.00", "8.70", DAY),
        ("2100", "0.00", "1.30", DAY),
        ("1100", "10.00", "0.00", DAY),
    ]


async def test_vendor_bill_debits_expense_and_tax_receivable(db: Db) -> None:
    vendor = await make_customer(db, "Wood Corner")
    input_vat = await tax(db, "VAT 15% purchase", "15", TaxUse.PURCHASE)
    bill = await invoice(db, vendor, [("4", "25.00", [input_vat])], move_type=MoveType.IN_INVOICE)
    assert bill.number == "BILL/2026/00001"
    assert await lines_of(db, bill.id) == [
        ("6000", "100.00", "0.00", DAY),
        ("1300", "15.00", "0.00", DAY),
        ("2000", "0.00", "115.00", DAY),
    ]


async def test_sale_tax_on_a_bill_is_refused(db: Db) -> None:
    vendor = await make_customer(db, "Wood Corner")
    vat = await tax(db, "VAT 15%", "15")
    with pytest.raises(AccountingError) as refused:
        await invoice(db, vendor, [("1", "1.00", [vat])], move_type=MoveType.IN_INVOICE)
    assert refused.value.field == ["lines", "0", "tax_ids"]


async def _order(db: Db, policy: InvoicePolicy = InvoicePolicy.ORDERED) -> tuple[int, int]:
    customer = await make_customer(db)
    vat = await tax(db, "VAT 15%", "15")
    product = await make_product(db, "DESK", price="100.00", policy=policy)

    async def create(uow):  # type: ignore[no-untyped-def]
        order = await sales.create_sale_order(
            uow,
            db.company_id,
            {"partner_id": customer},
            [{"product_id": product, "quantity": Decimal(2), "tax_ids": [vat]}],
        )
        await sales.confirm_sale_order(uow, db.company_id, order.id)
        return order.id

    return await db.run(create), customer


async def _sale_line(db: Db, order_id: int) -> SaleOrderLine:
    async with db.sessions() as session:
        line = await session.scalar(select(SaleOrderLine).where(SaleOrderLine.order_id == order_id))
    assert line is not None
    return line


async def test_invoicing_an_order_bills_it_once(db: Db) -> None:
    order_id, _ = await _order(db)
    entry = await db.run(
        lambda uow: invoicing.invoice_orders(uow, db.company_id, [order_id], date=DAY)
    )
    assert entry.amount_total == Decimal("230.00")
    line = await _sale_line(db, order_id)
    assert (line.qty_invoiced, line.qty_to_invoice) == (Decimal(2), Decimal(0))
    with pytest.raises(DomainError) as again:
        await db.run(lambda uow: invoicing.invoice_orders(uow, db.company_id, [order_id]))
    assert again.value.code.name == "NOTHING_TO_INVOICE"


async def test_delivered_policy_has_nothing_to_invoice_before_delivery(db: Db) -> None:
    order_id, _ = await _order(db, InvoicePolicy.DELIVERED)
    with pytest.raises(DomainError) as refused:
        await db.run(lambda uow: invoicing.invoice_orders(uow, db.company_id, [order_id]))
    assert refused.value.code.name == "NOTHING_TO_INVOICE"


async def test_credit_note_reverses_and_gives_quantities_back(db: Db) -> None:
    order_id, _ = await _order(db)

    async def invoice_and_post(uow):  # type: ignore[no-untyped-def]
        entry = await invoicing.invoice_orders(uow, db.company_id, [order_id], date=DAY)
        return await invoices.post_invoice(uow, db.company_id, entry.id)

    entry = await db.run(invoice_and_post)
    credit = await db.run(lambda uow: invoices.create_credit_note(uow, db.company_id, entry.id))
    assert credit.move_type is MoveType.OUT_REFUND
    assert credit.number == "INV/2026/00002"
    assert await lines_of(db, credit.id) == [
        ("4000", "200.00", "0.00", DAY),
        ("2100", "30.00", "0.00", DAY),
        ("1100", "0.00", "230.00", DAY),
    ]
    original = await reload(db, entry.id)
    assert original.payment_state is PaymentState.REVERSED
    assert original.amount_residual == Decimal(0)
    line = await _sale_line(db, order_id)
    assert (line.qty_invoiced, line.qty_to_invoice) == (Decimal(0), Decimal(2))


async def test_partial_credit_note_leaves_the_rest_to_pay(db: Db) -> None:
    customer = await make_customer(db)
    vat = await tax(db, "VAT 15%", "15")
    entry = await invoice(db, customer, [("2", "100.00", [vat])])
    first_line = (await db.run(lambda uow: invoices.invoice_lines(uow, entry.id)))[0]
    credit = await db.run(
        lambda uow: invoices.create_credit_note(
            uow, db.company_id, entry.id, quantities={first_line.id: Decimal(1)}
        )
    )
    # One of two units: 100.00 + 15.00 tax = 115.00 credited; 115.00 still to pay.
    assert credit.amount_total == Decimal("115.00")
    original = await reload(db, entry.id)
    assert (original.payment_state, original.amount_residual) == (
        PaymentState.PARTIAL,
        Decimal("115.00"),
    )
    with pytest.raises(AccountingError) as too_much:
        await db.run(
            lambda uow: invoices.create_credit_note(
                uow, db.company_id, entry.id, quantities={first_line.id: Decimal(2)}
            )
        )
    assert too_much.value.code is AccountingErrorCode.INVALID
