"""Property: whatever business happens, in whatever order, the books stay true.

Hypothesis draws sequences of receipts, sales, deliveries (partial, with backorders),
returns, invoicing, invoices in USD, payments (on invoices or on account, in EUR or USD, on
the invoices' day or when the dollar is worth more), credit notes (full or partial), applying
outstanding credits and undoing matches. Refused operations change nothing; after
every sequence every posted entry balances, the trial balance sums to zero, each partner's
receivable equals their open invoices less their credit notes and unapplied payments, and the
stock valuation equals the Stock Valuation account.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from domain.accounting import invoices, payments, reconcile
from domain.accounting.models import (
    EntryState,
    JournalEntry,
    JournalType,
    MoveType,
    Payment,
    PaymentType,
)
from domain.catalog import services as catalog
from domain.catalog.models import InvoicePolicy, Product, ProductType, TaxUse
from domain.core import services as core
from domain.core.errors import DomainError
from domain.core.uow import UnitOfWork
from domain.inventory import returns
from domain.inventory.models import Picking, PickingState
from domain.inventory.validation import BackorderPolicy, MoveDone
from domain.partners.models import Partner
from domain.sales.invoicing import invoice_orders
from domain.sales.models import SALE_ORDER, InvoiceStatus, SaleOrder, SaleOrderLine
from tests.accounting_factories import journal_id
from tests.conftest import Db
from tests.ledger import check_ledger_invariants, check_valuation_invariants
from tests.stock import check_stock_invariants, make_customer, moves_of, receive, sell, validate

DAY = dt.date(2026, 3, 1)
#: USD is worth 0.90 EUR on DAY and 0.95 EUR from LATER on.
LATER = dt.date(2026, 4, 1)
index = st.integers(0, 9)
operation = st.one_of(
    st.tuples(st.just("receive"), st.integers(0, 1), st.integers(1, 8)),
    st.tuples(st.just("sell"), index, st.integers(0, 1), st.integers(1, 5)),
    st.tuples(st.just("deliver"), index, st.integers(1, 5), st.booleans()),
    st.tuples(st.just("return"), index),
    st.tuples(st.just("invoice"), index),
    st.tuples(st.just("usd_invoice"), st.integers(0, 1), st.integers(1, 30_000)),
    st.tuples(
        st.just("pay"),
        index,
        st.integers(1, 30_000),
        st.booleans(),
        st.sampled_from([None, "USD"]),
        st.sampled_from([DAY, LATER]),
    ),
    st.tuples(st.just("credit"), index, st.booleans()),
    st.tuples(st.just("apply"), index),
    st.tuples(st.just("undo"), index),
)
#: Operations that are never refused: anything else may be (and then changes nothing).
ALWAYS_ACCEPTED = frozenset({"receive", "sell", "invoice", "usd_invoice", "pay"})


def _pick(items: list[Any], at: int) -> Any:
    return items[at % len(items)] if items else None


async def _ids(db: Db, query: Any) -> list[int]:
    async with db.sessions() as session:
        return list(await session.scalars(query))


async def _run(db: Db, world: dict[str, Any], step: tuple[Any, ...]) -> None:
    kind, *args = step
    products, customers = world["products"], world["customers"]
    if kind == "receive":
        await receive(db, products[args[0]], str(args[1]))
    elif kind == "sell":
        await sell(db, customers[args[0] % 2], [(products[args[1]], str(args[2]))])
    elif kind == "deliver":
        open_ones = await _ids(
            db,
            select(Picking.id).where(Picking.state == PickingState.ASSIGNED).order_by(Picking.id),
        )
        picking_id = _pick(open_ones, args[0])
        if picking_id is not None:
            [move, *_] = await moves_of(db, picking_id)
            policy = BackorderPolicy.CREATE if args[2] else BackorderPolicy.NO_BACKORDER
            await validate(db, picking_id, [MoveDone(move.id, Decimal(args[1]))], policy)
    elif kind == "return":
        delivered = await _ids(
            db,
            select(Picking.id)
            .where(Picking.state == PickingState.DONE, Picking.origin_kind == SALE_ORDER)
            .order_by(Picking.id),
        )
        picking_id = _pick(delivered, args[0])
        if picking_id is not None:
            back = await db.run(lambda uow: returns.return_picking(uow, db.company_id, picking_id))
            await validate(db, back.id)
    elif kind == "invoice":
        to_invoice = await _ids(
            db,
            select(SaleOrder.id)
            .where(SaleOrder.invoice_status == InvoiceStatus.TO_INVOICE)
            .order_by(SaleOrder.id),
        )
        order_id = _pick(to_invoice, args[0])
        if order_id is not None and await _has_positive_quantities(db, order_id):

            async def invoice_and_post(uow: UnitOfWork) -> JournalEntry:
                invoice = await invoice_orders(uow, db.company_id, [order_id], date=DAY)
                return await invoices.post_invoice(uow, db.company_id, invoice.id)

            await db.run(invoice_and_post)
    elif kind == "usd_invoice":

        async def invoice_in_usd(uow: UnitOfWork) -> JournalEntry:
            invoice = await invoices.create_invoice(
                uow,
                db.company_id,
                move_type=MoveType.OUT_INVOICE,
                partner_id=customers[args[0]],
                date=DAY,
                currency="USD",
                lines=[
                    {
                        "name": "Service",
                        "quantity": Decimal(1),
                        "price_unit": Decimal(args[1]) / 100,
                    }
                ],
            )
            return await invoices.post_invoice(uow, db.company_id, invoice.id)

        await db.run(invoice_in_usd)
    elif kind == "pay":
        open_invoice = _pick(await _open_invoices(db), args[0])
        partner = open_invoice[1] if open_invoice else customers[args[0] % 2]
        amount = Decimal(args[1]) / 100
        await db.run(
            lambda uow: payments.register_payment(
                uow,
                db.company_id,
                payment_type=PaymentType.INBOUND,
                partner_id=partner,
                amount=amount,
                journal_id=world["bank"],
                date=args[4],
                invoice_ids=[open_invoice[0]] if open_invoice and args[2] else [],
                currency=args[3],
            )
        )
    elif kind == "credit":
        posted = await _ids(
            db,
            select(JournalEntry.id)
            .where(
                JournalEntry.move_type == MoveType.OUT_INVOICE,
                JournalEntry.state == EntryState.POSTED,
            )
            .order_by(JournalEntry.id),
        )
        invoice_id = _pick(posted, args[0])
        if invoice_id is not None:
            await db.run(lambda uow: _credit(uow, db.company_id, invoice_id, full=args[1]))
    elif kind == "apply":
        open_invoice = _pick(await _open_invoices(db), args[0])
        if open_invoice is not None:
            await db.run(
                lambda uow: payments.apply_outstanding(uow, db.company_id, open_invoice[0])
            )
    elif kind == "undo":
        entry_id = _pick(await _ids(db, select(Payment.entry_id).order_by(Payment.id)), args[0])
        if entry_id is not None:
            await db.run(lambda uow: reconcile.unreconcile_entry(uow, db.company_id, entry_id))


async def _credit(uow: UnitOfWork, company_id: int, invoice_id: int, *, full: bool) -> Any:
    """The whole invoice, or one unit of its first line."""
    if full:
        return await invoices.create_credit_note(uow, company_id, invoice_id, date=DAY)
    [line, *_] = await invoices.invoice_lines(uow, invoice_id)
    return await invoices.create_credit_note(
        uow, company_id, invoice_id, date=DAY, quantities={line.id: Decimal(1)}
    )


async def _has_positive_quantities(db: Db, order_id: int) -> bool:
    """Returned goods leave negative quantities to invoice: those are credited, not invoiced."""
    found = await db.scalar(
        select(SaleOrderLine.id).where(
            SaleOrderLine.order_id == order_id, SaleOrderLine.qty_to_invoice > 0
        )
    )
    return found is not None


async def _open_invoices(db: Db) -> list[tuple[int, int]]:
    async with db.sessions() as session:
        rows = await session.execute(
            select(JournalEntry.id, JournalEntry.partner_id)
            .where(
                JournalEntry.move_type == MoveType.OUT_INVOICE,
                JournalEntry.state == EntryState.POSTED,
                JournalEntry.amount_residual > 0,
            )
            .order_by(JournalEntry.id)
        )
        return [(entry_id, partner_id) for entry_id, partner_id in rows]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(operation, min_size=1, max_size=16))
async def test_the_books_always_balance(db: Db, steps: list[tuple[Any, ...]]) -> None:
    # The database carries over from one example to the next: the invariants hold anyway.
    world = await _world(db)
    for step in steps:
        try:
            await _run(db, world, step)
        except DomainError as error:
            if step[0] in ALWAYS_ACCEPTED:
                raise
            event(f"{step[0]} refused: {error.code}")
        else:
            event(f"{step[0]} ran")
    await check_ledger_invariants(db)
    await check_valuation_invariants(db)
    await check_stock_invariants(db)


async def _world(db: Db) -> dict[str, Any]:
    """A desk invoiced on order and a lamp invoiced on delivery, both taxed 15 %, two
    customers and the bank journal, made with the database's first example."""
    async with db.sessions() as session:
        products = list(
            await session.scalars(
                select(Product.id).where(Product.sku.in_(["DESK", "LAMP"])).order_by(Product.sku)
            )
        )
        customers = list(await session.scalars(select(Partner.id).order_by(Partner.id)))
    if not products:

        async def build(uow: UnitOfWork) -> list[int]:
            for date, rate in ((DAY, "0.90"), (LATER, "0.95")):
                await core.set_currency_rate(
                    uow, db.company_id, currency_code="USD", date=date, rate=Decimal(rate)
                )
            vat = await catalog.create_tax(
                uow,
                db.company_id,
                {"name": "VAT 15%", "amount": Decimal(15), "type_tax_use": TaxUse.SALE},
            )
            made = []
            for sku, price, cost, policy in (
                ("DESK", "19.99", "12.35", InvoicePolicy.ORDERED),
                ("LAMP", "7.49", "3.33", InvoicePolicy.DELIVERED),
            ):
                product = await catalog.create_product(
                    uow,
                    db.company_id,
                    {
                        "sku": sku,
                        "name": sku.title(),
                        "list_price": Decimal(price),
                        "standard_price": Decimal(cost),
                        "type": ProductType.STORABLE,
                        "invoice_policy": policy,
                        "sale_tax_ids": [vat.id],
                    },
                )
                made.append(product.id)
            return made

        products = await db.run(build)
        customers = [await make_customer(db, "Azure Interior"), await make_customer(db, "Deco")]
    return {
        "products": products,
        "customers": customers,
        "bank": await journal_id(db, JournalType.BANK),
    }
