"""Every relationship loads through a DataLoader: statement counts follow the query's shape."""

from __future__ import annotations

from decimal import Decimal

from domain.catalog import services as catalog
from domain.catalog.models import TaxUse
from domain.core.uow import UnitOfWork
from domain.partners import services as partners
from domain.sales import services as sales
from tests.conftest import Db, GraphQLClient, StatementCounter

DEEP_READ = """query {
    partners(first: 5) { totalCount edges { node {
        name
        orders(first: 100) { totalCount edges { node {
            name state amountTotal { amount currency }
            partnerShipping { name }
            lines {
                quantity priceSubtotal { amount } uom { name } taxes { name }
                product { sku name salePrice { amount } category { name } saleTaxes { name } }
            }
        } } }
    } } }
}"""


async def seed_catalog(db: Db) -> tuple[int, list[int]]:
    """A customer and five products priced 1.00 to 5.00 with 15 % tax."""

    async def build(uow: UnitOfWork) -> tuple[int, list[int]]:
        tax = await catalog.create_tax(
            uow,
            db.company_id,
            {"name": "VAT 15%", "amount": Decimal(15), "type_tax_use": TaxUse.SALE},
        )
        product_ids = []
        for n in range(1, 6):
            product = await catalog.create_product(
                uow,
                db.company_id,
                {
                    "sku": f"SKU-{n}",
                    "name": f"Product {n}",
                    "list_price": Decimal(n),
                    "sale_tax_ids": [tax.id],
                },
            )
            product_ids.append(product.id)
        customer = await partners.create_partner(
            uow, db.company_id, {"name": "Big Customer", "is_customer": True}
        )
        return customer.id, product_ids

    return await db.run(build)


async def add_orders(db: Db, customer_id: int, product_ids: list[int], count: int) -> None:
    async def build(uow: UnitOfWork) -> None:
        for _ in range(count):
            await sales.create_sale_order(
                uow,
                db.company_id,
                {"partner_id": customer_id},
                [{"product_id": product_id, "quantity": Decimal(2)} for product_id in product_ids],
            )

    await db.run(build)


async def count_deep_read(gql: GraphQLClient, statements: StatementCounter) -> tuple[int, dict]:
    statements.count = 0
    data = await gql(DEEP_READ)
    return statements.count, data


async def test_deep_read_does_not_grow_with_rows(
    gql: GraphQLClient, db: Db, statements: StatementCounter
) -> None:
    customer_id, product_ids = await seed_catalog(db)
    await add_orders(db, customer_id, product_ids, 2)
    small, small_data = await count_deep_read(gql, statements)
    await add_orders(db, customer_id, product_ids, 48)
    large, large_data = await count_deep_read(gql, statements)

    small_orders = small_data["partners"]["edges"][0]["node"]["orders"]
    large_orders = large_data["partners"]["edges"][0]["node"]["orders"]
    assert small_orders["totalCount"] == 2
    assert large_orders["totalCount"] == 50
    assert sum(len(edge["node"]["lines"]) for edge in large_orders["edges"]) == 250
    # 2 × (1 + 2 + 3 + 4 + 5) = 30.00 untaxed, 15 % = 4.50, total 34.50 per order.
    assert {edge["node"]["amountTotal"]["amount"] for edge in large_orders["edges"]} == {"34.50"}
    assert large == small
