"""The replenishment scan: forecasts under the minimum order up to the maximum, once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from domain.core.errors import DomainError
from domain.inventory import warehouses
from domain.purchasing import replenishment
from domain.purchasing.errors import PurchasingErrorCode
from domain.purchasing.models import ReorderRule, ReplenishmentRoute
from domain.purchasing.replenishment import ReplenishmentReport, RuleValues
from tests.conftest import Db, StatementCounter, is_postgres
from tests.purchasing_factories import make_vendor, order_of, vendor_price
from tests.stock import make_product, receive, warehouse

D = Decimal


async def rule(db: Db, product: int, **values: object) -> int:
    defaults: RuleValues = {
        "product_id": product,
        "warehouse_id": (await warehouse(db)).id,
        "min_quantity": D(5),
        "max_quantity": D(30),
        "multiple": D(6),
    }
    created = await db.run(
        lambda uow: replenishment.create_rule(uow, db.company_id, {**defaults, **values})  # type: ignore[typeddict-item]
    )
    return created.id


async def scan(db: Db) -> ReplenishmentReport:
    return await db.run(lambda uow: replenishment.replenish(uow, db.company_id))


async def test_under_the_minimum_orders_up_to_the_maximum_rounded_to_the_multiple_once(
    db: Db,
) -> None:
    """Min 5, max 30, multiple 6, on hand 2: 28 rounds up to one line of 30, to the
    cheapest vendor; a second scan orders nothing more."""
    bolt = await make_product(db, "BOLT")
    dear, cheap = await make_vendor(db, "Dear"), await make_vendor(db, "Cheap")
    await vendor_price(db, bolt, dear, "5.00")
    await vendor_price(db, bolt, cheap, "4.00", lead_days=3)
    await receive(db, bolt, "2")
    await rule(db, bolt)

    first = await scan(db)
    assert (first.rules, first.lines_added, first.orders_extended) == (1, 1, [])
    [order_id] = first.orders_created
    order, [line] = await order_of(db, order_id)
    assert (order.partner_id, order.state.value) == (cheap, "draft")
    assert (line.quantity, line.price_unit, line.price_subtotal) == (D(30), D("4.00"), D("120.00"))
    assert (order.date_planned - order.date_order).days == 3

    second = await scan(db)
    assert (second.orders_created, second.orders_extended, second.lines_added) == ([], [], 0)
    _, lines = await order_of(db, order_id)
    assert [line.quantity for line in lines] == [D(30)]


async def test_a_draft_request_for_the_vendor_is_extended_not_duplicated(db: Db) -> None:
    bolt, nut = await make_product(db, "BOLT"), await make_product(db, "NUT")
    vendor = await make_vendor(db)
    await vendor_price(db, bolt, vendor, "1.00")
    await vendor_price(db, nut, vendor, "0.50")
    await rule(db, bolt)
    [order_id] = (await scan(db)).orders_created
    await rule(db, nut, min_quantity=D(1), max_quantity=D(10), multiple=D(1))
    report = await scan(db)
    assert (report.orders_created, report.orders_extended) == ([], [order_id])
    _, lines = await order_of(db, order_id)
    assert [(line.product_id, line.quantity) for line in lines] == [(bolt, D(30)), (nut, D(10))]


async def test_transfers_take_what_another_warehouse_spares_and_manufacture_waits(
    db: Db,
) -> None:
    bolt, gear = await make_product(db, "BOLT"), await make_product(db, "GEAR")
    main = await warehouse(db)
    second = await db.run(
        lambda uow: warehouses.create_warehouse(uow, db.company_id, name="North", code="NO")
    )
    await receive(db, bolt, "12")
    transfer = await rule(
        db,
        bolt,
        warehouse_id=second.id,
        route=ReplenishmentRoute.TRANSFER,
        source_warehouse_id=main.id,
        multiple=D(1),
    )
    made = await rule(db, gear, route=ReplenishmentRoute.MANUFACTURE)
    report = await scan(db)
    assert len(report.transfers) == 1
    assert report.skipped == [(made, replenishment.NO_MANUFACTURING)]
    # 30 missing, 12 to spare: 12 travel; the next scan counts them as incoming.
    again = await scan(db)
    assert again.transfers == []
    async with db.sessions() as session:
        reasons = dict(
            (await session.execute(select(ReorderRule.id, ReorderRule.skip_reason))).all()
        )
    assert reasons == {transfer: None, made: replenishment.NO_MANUFACTURING}


async def test_a_rule_refuses_a_maximum_below_its_minimum(db: Db) -> None:
    bolt = await make_product(db, "BOLT")
    with pytest.raises(DomainError) as refused:
        await rule(db, bolt, max_quantity=D(1))
    assert (refused.value.code, refused.value.field) == (
        PurchasingErrorCode.INVALID,
        ["max_quantity"],
    )


@pytest.mark.skipif(not is_postgres(), reason="SQLite inserts rows one statement each")
async def test_the_scan_does_not_grow_in_statements_with_its_rules(
    db: Db, statements: StatementCounter
) -> None:
    """2 rules under their minimum, then 20 more (of another vendor): each scan makes one
    request for quotation in the same number of statements."""
    counts = []
    for size in (2, 20):
        vendor = await make_vendor(db, f"Vendor {size}")
        for n in range(size):
            product = await make_product(db, f"P{size}-{n}")
            await vendor_price(db, product, vendor, "1.00")
            await rule(db, product)
        statements.count = 0
        report = await scan(db)
        counts.append(statements.count)
        assert (len(report.orders_created), report.lines_added) == (1, size)
    assert counts[0] == counts[1]
