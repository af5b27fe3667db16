"""The raw-SQL baseline: the writes of "create and confirm a 5-line order", by hand.

One psycopg transaction per order: take the number with `UPDATE sequence ... RETURNING`, insert
the order, its five lines and their tax links, then set the order to `sale` — no ORM, no
GraphQL, no HTTP, no amounts worked out beyond a multiplication.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from decimal import Decimal

import psycopg

from bench.seed import RAW_DSN, Catalog


def create_and_confirm(connection: psycopg.Connection, ids: Catalog) -> None:
    now = datetime.now(UTC)
    with connection.transaction():
        number = connection.execute(
            "UPDATE sequence SET next_number = next_number + 1"
            " WHERE company_id = %s AND code = 'sale.order' RETURNING next_number - 1, prefix",
            (ids.company_id,),
        ).fetchone()
        assert number is not None
        order_id = connection.execute(
            "INSERT INTO sale_order (company_id, name, state, partner_id, partner_invoice_id,"
            " partner_shipping_id, currency_id, date_order, amount_untaxed, amount_tax,"
            " amount_total, delivery_status, created_at, updated_at)"
            " VALUES (%s, %s, 'draft', %s, %s, %s, 1, %s, 0, 0, 0, 'nothing', %s, %s) RETURNING id",
            (
                ids.company_id,
                f"{number[1]}{number[0]:05d}",
                ids.customer_id,
                ids.customer_id,
                ids.customer_id,
                now,
                now,
                now,
            ),
        ).fetchone()[0]  # type: ignore[index]
        untaxed = Decimal(0)
        for sequence, product_id in enumerate(ids.product_ids[:5], start=1):
            price = Decimal("10.00") + sequence - 1
            subtotal = price * 2
            untaxed += subtotal
            line_id = connection.execute(
                "INSERT INTO sale_order_line (order_id, sequence, product_id, name, quantity,"
                " uom_id, price_unit, discount, price_subtotal, price_tax, price_total,"
                " qty_delivered, qty_invoiced, qty_to_invoice, created_at, updated_at)"
                " VALUES (%s, %s, %s, %s, 2, 1, %s, 0, %s, %s, %s, 0, 0, 2, %s, %s) RETURNING id",
                (
                    order_id,
                    sequence * 10,
                    product_id,
                    f"Product {sequence}",
                    price,
                    subtotal,
                    subtotal * Decimal("0.15"),
                    subtotal * Decimal("1.15"),
                    now,
                    now,
                ),
            ).fetchone()[0]  # type: ignore[index]
            connection.execute(
                "INSERT INTO sale_order_line_tax (line_id, tax_id) VALUES (%s, %s)",
                (line_id, ids.tax_id),
            )
        connection.execute(
            "UPDATE sale_order SET state = 'sale', confirmed_at = %s, amount_untaxed = %s,"
            " amount_tax = %s, amount_total = %s WHERE id = %s",
            (now, untaxed, untaxed * Decimal("0.15"), untaxed * Decimal("1.15"), order_id),
        )


def orders_per_second(ids: Catalog, count: int) -> float:
    with psycopg.connect(RAW_DSN) as connection:
        for _ in range(10):
            create_and_confirm(connection, ids)
        started = time.perf_counter()
        for _ in range(count):
            create_and_confirm(connection, ids)
        return count / (time.perf_counter() - started)
