"""Procure to pay: vendor prices, orders, receipts with backorders, bills matched three ways."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from domain.accounting import invoices
from domain.accounting.models import JournalLine
from domain.catalog.models import InvoicePolicy
from domain.core.errors import DomainError
from domain.core.uow import UnitOfWork
from domain.inventory.validation import BackorderPolicy, MoveDone
from domain.purchasing import billing
from domain.purchasing import services as purchasing
from domain.purchasing.billing import BillLine
from domain.purchasing.errors import PurchasingErrorCode
from domain.purchasing.models import BillStatus, PurchaseOrderState, ReceiptStatus
from tests.accounting_factories import account
from tests.conftest import Db
from tests.ledger import check_ledger_invariants, check_valuation_invariants
from tests.purchasing_factories import make_vendor, order_of, purchase, receipts, vendor_price
from tests.stock import make_product, moves_of, quants, validate

D = Decimal
TODAY = dt.date(2026, 6, 15)


async def account_balance(db: Db, role: str) -> Decimal:
    found = await account(db, role)
    total = await db.scalar(
        select(func.coalesce(func.sum(JournalLine.balance), 0)).where(
            JournalLine.account_id == found.id
        )
    )
    return D(total).quantize(D("0.01"))


async def test_the_cheapest_valid_vendor_price_wins_and_ties_go_to_the_shortest_lead(
    db: Db,
) -> None:
    bolt = await make_product(db, "BOLT")
    slow, fast, bulk, old = [
        await make_vendor(db, name) for name in ("Slow", "Fast", "Bulk", "Old")
    ]
    await vendor_price(db, bolt, slow, "4.00", lead_days=9)
    await vendor_price(db, bolt, fast, "4.00", lead_days=2)
    await vendor_price(db, bolt, bulk, "3.00", min_quantity="100")
    await vendor_price(db, bolt, old, "1.00", date_end=dt.date(2026, 1, 31))

    async def best(quantity: str) -> int:
        async def work(uow: UnitOfWork) -> int:
            quotes = await purchasing.best_vendor_prices(
                uow, db.company_id, {bolt: D(quantity)}, TODAY
            )
            return quotes[bolt].price.partner_id

        return await db.run(work)

    assert await best("10") == fast
    assert await best("100") == bulk


async def test_an_order_prices_its_lines_at_its_vendors_price(db: Db) -> None:
    bolt = await make_product(db, "BOLT")
    vendor = await make_vendor(db)
    await vendor_price(db, bolt, vendor, "4.00")
    await vendor_price(db, bolt, vendor, "3.50", min_quantity="50")
    order = await purchase(db, vendor, [{"product_id": bolt, "quantity": D(10)}], confirm=False)
    _, [line] = await order_of(db, order.id)
    assert (line.price_unit, line.price_subtotal) == (D("4.00"), D("40.00"))
    assert order.amount_total == D("40.00")


async def test_receive_and_bill_by_received_quantities_with_a_backorder(db: Db) -> None:
    """PO of 10 at 4.00 → receive 6 → bill 6 × 4.00 = 24.00; a line for 7 is refused;
    receive the backorder of 4 → bill the remaining 16.00."""
    bolt = await make_product(db, "BOLT", policy=InvoicePolicy.DELIVERED)
    vendor = await make_vendor(db)
    order = await purchase(
        db, vendor, [{"product_id": bolt, "quantity": D(10), "price_unit": D("4.00")}]
    )
    assert order.state is PurchaseOrderState.PURCHASE
    assert (order.receipt_status, order.bill_status) == (ReceiptStatus.PENDING, BillStatus.NOTHING)
    [receipt] = await receipts(db, order.id)
    [move] = await moves_of(db, receipt.id)
    await validate(db, receipt.id, [MoveDone(move.id, D(6))], BackorderPolicy.CREATE)
    order, [line] = await order_of(db, order.id)
    assert (line.qty_received, line.qty_to_bill) == (D(6), D(6))
    assert (order.receipt_status, order.bill_status) == (ReceiptStatus.PARTIAL, BillStatus.TO_BILL)
    assert (await quants(db, bolt))[("WH/Stock", None)][0] == D(6)

    with pytest.raises(DomainError) as refused:
        await db.run(
            lambda uow: billing.bill_purchase_orders(
                uow, db.company_id, [order.id], lines=[BillLine(line.id, D(7))]
            )
        )
    assert refused.value.code is PurchasingErrorCode.OVER_BILLED
    assert refused.value.field == ["lines", "0", "quantity"]

    first = await db.run(
        lambda uow: billing.bill_purchase_orders(uow, db.company_id, [order.id], date=TODAY)
    )
    assert first.amount_total == D("24.00")
    await db.run(lambda uow: invoices.post_invoice(uow, db.company_id, first.id))
    order, [line] = await order_of(db, order.id)
    assert (line.qty_billed, line.qty_to_bill, order.bill_status) == (
        D(6),
        D(0),
        BillStatus.NOTHING,
    )

    [_, backorder] = await receipts(db, order.id)
    await validate(db, backorder.id)
    second = await db.run(
        lambda uow: billing.bill_purchase_orders(uow, db.company_id, [order.id], date=TODAY)
    )
    assert second.amount_total == D("16.00")
    await db.run(lambda uow: invoices.post_invoice(uow, db.company_id, second.id))
    order, [line] = await order_of(db, order.id)
    assert (line.qty_received, line.qty_billed) == (D(10), D(10))
    assert (order.receipt_status, order.bill_status) == (ReceiptStatus.FULL, BillStatus.BILLED)
    # Receipts valued the stock at 4.00 a unit; the bills cleared what they put aside.
    assert await account_balance(db, "stock_valuation") == D("40.00")
    assert await account_balance(db, "stock_received_not_billed") == D("0.00")
    assert await account_balance(db, "payable") == D("-40.00")
    await check_valuation_invariants(db)
    await check_ledger_invariants(db)


async def test_ordered_quantities_bill_before_receipt_and_a_price_off_needs_a_reason(
    db: Db,
) -> None:
    desk = await make_product(db, "DESK", policy=InvoicePolicy.ORDERED)
    vendor = await make_vendor(db)
    order = await purchase(
        db, vendor, [{"product_id": desk, "quantity": D(2), "price_unit": D("100.00")}]
    )
    _, [line] = await order_of(db, order.id)
    assert line.qty_to_bill == D(2)

    async def bill(price: str, reason: str | None = None) -> Decimal:
        entry = await db.run(
            lambda uow: billing.bill_purchase_orders(
                uow,
                db.company_id,
                [order.id],
                lines=[BillLine(line.id, D(2), D(price))],
                override_reason=reason,
            )
        )
        return entry.amount_total

    with pytest.raises(DomainError) as refused:
        await bill("102.00")
    assert refused.value.code is PurchasingErrorCode.PRICE_MISMATCH
    with pytest.raises(DomainError) as blank:
        await bill("102.00", "  ")
    assert blank.value.code is PurchasingErrorCode.REQUIRED
    # Within 1 % passes; beyond it with a reason passes too.
    assert await bill("100.90") == D("201.80")
    order, [line] = await order_of(db, order.id)
    assert order.bill_status is BillStatus.BILLED


async def test_a_cancelled_bill_gives_its_quantities_back(db: Db) -> None:
    desk = await make_product(db, "DESK", policy=InvoicePolicy.ORDERED)
    vendor = await make_vendor(db)
    order = await purchase(
        db, vendor, [{"product_id": desk, "quantity": D(3), "price_unit": D("5")}]
    )
    bill = await db.run(lambda uow: billing.bill_purchase_orders(uow, db.company_id, [order.id]))
    await db.run(lambda uow: invoices.cancel_invoice(uow, db.company_id, bill.id))
    order, [line] = await order_of(db, order.id)
    assert (line.qty_billed, line.qty_to_bill, order.bill_status) == (
        D(0),
        D(3),
        BillStatus.TO_BILL,
    )


async def test_cancelling_an_order_cancels_its_receipt_but_not_once_received(db: Db) -> None:
    bolt = await make_product(db, "BOLT")
    vendor = await make_vendor(db)
    order = await purchase(
        db, vendor, [{"product_id": bolt, "quantity": D(5), "price_unit": D("1")}]
    )
    cancelled = await db.run(
        lambda uow: purchasing.cancel_purchase_order(uow, db.company_id, order.id)
    )
    assert cancelled.state is PurchaseOrderState.CANCEL
    [receipt] = await receipts(db, order.id)
    assert receipt.state.value == "cancel"

    other = await purchase(
        db, vendor, [{"product_id": bolt, "quantity": D(5), "price_unit": D("1")}]
    )
    [receipt] = await receipts(db, other.id)
    await validate(db, receipt.id)
    with pytest.raises(DomainError) as refused:
        await db.run(lambda uow: purchasing.cancel_purchase_order(uow, db.company_id, other.id))
    assert refused.value.code is PurchasingErrorCode.ALREADY_RECEIVED
