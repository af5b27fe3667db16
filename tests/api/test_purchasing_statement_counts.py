"""Statement counts of purchasing's hot reads and mutations follow their shape, not their rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.catalog import services as catalog
from domain.catalog.models import ProductType
from domain.core.uow import UnitOfWork
from domain.partners import services as partners
from domain.purchasing import services as purchasing
from tests.conftest import Db, GraphQLClient, StatementCounter, is_postgres

DEEP_READ = """query {
    partners(first: 5, filter: {search: "Vendor"}) { edges { node {
        name
        purchaseOrders(first: 20) { totalCount edges { node {
            name state billStatus receiptStatus amountTotal { amount currency }
            warehouse { name }
            lines {
                quantity qtyReceived qtyBilled priceSubtotal { amount } uom { name } taxes { name }
                product { sku vendorPrices { price { amount } partner { name } } }
            }
            receipts { name state }
            bills { number }
        } } }
    } } }
}"""


async def seed(db: Db, lines: int) -> tuple[int, list[int]]:
    """A vendor and `lines` storable products, each with a vendor price."""

    async def build(uow: UnitOfWork) -> tuple[int, list[int]]:
        vendor = await partners.create_partner(
            uow, db.company_id, {"name": "Vendor One", "is_vendor": True}
        )
        product_ids = []
        for n in range(lines):
            product = await catalog.create_product(
                uow,
                db.company_id,
                {"sku": f"P-{n}", "name": f"Part {n}", "type": ProductType.STORABLE},
            )
            await purchasing.create_vendor_price(
                uow,
                db.company_id,
                {"product_id": product.id, "partner_id": vendor.id, "price": Decimal(n + 1)},
            )
            product_ids.append(product.id)
        return vendor.id, product_ids

    return await db.run(build)


async def buy(
    db: Db, statements: StatementCounter, vendor: int, products: list[int]
) -> tuple[int, int]:
    """Statements to create an order with a line per product, and to confirm it."""
    statements.count = 0
    order = await db.run(
        lambda uow: purchasing.create_purchase_order(
            uow,
            db.company_id,
            {"partner_id": vendor},
            [{"product_id": product, "quantity": Decimal(3)} for product in products],
        )
    )
    created = statements.count
    statements.count = 0
    await db.run(lambda uow: purchasing.confirm_purchase_order(uow, db.company_id, order.id))
    return created, statements.count


@pytest.mark.skipif(not is_postgres(), reason="SQLite inserts rows one statement each")
async def test_creating_and_confirming_an_order_does_not_grow_with_its_lines(
    db: Db, statements: StatementCounter
) -> None:
    vendor, products = await seed(db, 20)
    assert await buy(db, statements, vendor, products[:2]) == await buy(
        db, statements, vendor, products
    )


async def test_the_deep_read_of_purchases_does_not_grow_with_rows(
    gql: GraphQLClient, db: Db, statements: StatementCounter
) -> None:
    vendor, products = await seed(db, 5)
    await buy(db, statements, vendor, products)
    await buy(db, statements, vendor, products)
    statements.count = 0
    small = await gql(DEEP_READ)
    few = statements.count
    for _ in range(8):
        await buy(db, statements, vendor, products)
    statements.count = 0
    large = await gql(DEEP_READ)
    assert statements.count == few
    orders = large["partners"]["edges"][0]["node"]["purchaseOrders"]
    assert (
        orders["totalCount"],
        len(small["partners"]["edges"][0]["node"]["purchaseOrders"]["edges"]),
    ) == (10, 2)
