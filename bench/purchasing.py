"""Purchasing figures: receive-and-bill flows through the commands, and the replenishment
scan over 10,000 and 100,000 reorder rules.

The flows run the same commands the mutations dispatch, in process (no HTTP), as a job actor.
The scan's rules, products, vendor prices and stock are written with set-based SQL into a
company of their own; one rule in a hundred is under its minimum and gets ordered.
`python -m bench.purchasing` runs these alone.
"""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal
from typing import Any

import psycopg
from sqlalchemy import select

from bench.run import Row, print_table
from bench.seed import DATABASE_URL, RAW_DSN, Catalog, recreate_database, seed
from domain.core import services as core
from domain.core.actors import Actor
from domain.core.db import create_engine, session_factory
from domain.core.dispatcher import Command, dispatch
from domain.core.origins import Origin
from domain.core.uow import UnitOfWork, transact
from domain.inventory import validation
from domain.inventory.models import Picking
from domain.inventory.warehouses import default_warehouse
from domain.partners import services as partners
from domain.purchasing import commands as c
from domain.purchasing.models import PURCHASE_ORDER
from domain.wiring import load_handlers

FLOWS = 100
SCANS = (10_000, 100_000)
BENCH = Actor.job("bench")


async def receive_and_bill(ids: Catalog) -> list[Row]:
    """Order 10 of a product at 4.00, receive them, bill and post the bill, per flow."""
    engine = create_engine(DATABASE_URL)
    sessions = session_factory(engine)

    async def run(command: Command[Any]) -> Any:
        return await dispatch(sessions, command, BENCH)

    async def vendor(uow: UnitOfWork) -> int:
        return (
            await partners.create_partner(
                uow, ids.company_id, {"name": "Vendor", "is_vendor": True}
            )
        ).id

    vendor_id = await transact(sessions, vendor)
    product_id = ids.product_ids[0]

    async def flow() -> None:
        order = await run(
            c.CreatePurchaseOrder(
                company_id=ids.company_id,
                values={"partner_id": vendor_id},
                lines=(
                    {"product_id": product_id, "quantity": Decimal(10), "price_unit": Decimal(4)},
                ),
            )
        )
        await run(c.ConfirmPurchaseOrder(company_id=ids.company_id, id=order.id))

        async def receive(uow: UnitOfWork) -> None:
            [receipt] = await purchasing_receipts(uow, order.id)
            await validation.validate_picking(uow, ids.company_id, receipt)

        await transact(sessions, receive)
        bill = await run(c.BillPurchaseOrders(company_id=ids.company_id, order_ids=(order.id,)))
        assert bill.amount_total == Decimal("40.00")

    try:
        for _ in range(10):
            await flow()
        started = time.perf_counter()
        for _ in range(FLOWS):
            await flow()
        flows = FLOWS / (time.perf_counter() - started)
    finally:
        await engine.dispose()
    return [Row("purchase: create + confirm + receive + bill, 1 line", flows, "flows/s")]


async def purchasing_receipts(uow: UnitOfWork, order_id: int) -> list[int]:
    return list(
        await uow.session.scalars(
            select(Picking.id).where(Picking.origin == Origin(PURCHASE_ORDER, order_id))
        )
    )


async def scan_company(rules: int) -> int:
    """A company with `rules` storable products, each with a vendor price, stock in its
    warehouse and a rule (min 5, max 30); every hundredth has no stock."""
    engine = create_engine(DATABASE_URL)

    async def build(uow: UnitOfWork) -> tuple[int, int, int]:
        company = await core.create_company(uow, name=f"Scan {rules}", currency_code="EUR")
        vendor = await partners.create_partner(
            uow, company.id, {"name": "Scan Vendor", "is_vendor": True}
        )
        warehouse = await default_warehouse(uow, company.id)
        return company.id, vendor.id, warehouse.id

    try:
        company_id, vendor_id, warehouse_id = await transact(session_factory(engine), build)
    finally:
        await engine.dispose()
    with psycopg.connect(RAW_DSN, autocommit=True) as connection:
        unit, stock = connection.execute(
            "SELECT (SELECT id FROM uom WHERE name = 'Units'),"
            " (SELECT stock_location_id FROM stock_warehouse WHERE id = %s)",
            (warehouse_id,),
        ).fetchone()  # type: ignore[misc]
        connection.execute(
            """INSERT INTO product (company_id, sku, name, type, list_price, standard_price,
                   uom_id, purchase_uom_id, invoice_policy, tracking, active, published,
                   created_at, updated_at)
               SELECT %s, 'S' || n, 'Scanned ' || n, 'storable', 10, 4, %s, %s, 'ordered',
                   'none', true, false, now(), now()
               FROM generate_series(1, %s) AS n""",
            (company_id, unit, unit, rules),
        )
        connection.execute(
            """INSERT INTO vendor_price (company_id, product_id, partner_id, price, currency_id,
                   min_quantity, lead_days, created_at, updated_at)
               SELECT p.company_id, p.id, %s, 4, c.currency_id, 0, 2, now(), now()
               FROM product p JOIN company c ON c.id = p.company_id WHERE p.company_id = %s""",
            (vendor_id, company_id),
        )
        connection.execute(
            """INSERT INTO stock_quant (company_id, product_id, location_id, quantity,
                   reserved_quantity, in_date)
               SELECT company_id, id, %s, 100, 0, now() FROM product
               WHERE company_id = %s AND id %% 100 <> 0""",
            (stock, company_id),
        )
        connection.execute(
            """INSERT INTO reorder_rule (company_id, product_id, warehouse_id, route,
                   min_quantity, max_quantity, multiple, security_days, active, created_at,
                   updated_at)
               SELECT company_id, id, %s, 'buy', 5, 30, 1, 1, true, now(), now() FROM product
               WHERE company_id = %s""",
            (warehouse_id, company_id),
        )
        connection.execute("ANALYZE")
    return company_id


async def scans() -> list[Row]:
    """Seconds of one scan over each size, then of the scan right after (nothing to order)."""
    engine = create_engine(DATABASE_URL)
    sessions = session_factory(engine)
    rows = []
    try:
        for size in SCANS:
            company_id = await scan_company(size)
            for label in ("first", "second"):
                started = time.perf_counter()
                report = await dispatch(sessions, c.Replenish(company_id=company_id), BENCH)
                seconds = time.perf_counter() - started
                rows.append(
                    Row(
                        f"replenishment scan, {size:,} rules ({label}: {report.lines_added} lines)",
                        seconds,
                        "s",
                    )
                )
    finally:
        await engine.dispose()
    return rows


async def scenarios(ids: Catalog) -> list[Row]:
    return [*await receive_and_bill(ids), *await scans()]


async def main() -> None:
    load_handlers()
    recreate_database()
    ids = await seed(extra_products=0)
    rows = await scenarios(ids)
    print_table(rows)


if __name__ == "__main__":
    asyncio.run(main())
