"""SQL statements per query depend on the query's shape, never on how many rows it returns."""

from __future__ import annotations

from tests.conftest import GraphQLClient, StatementCounter
from tests.factories import create_order, create_partner, create_product, order_step
from tests.inventory_factories import receive

PICKINGS = """{ pickings(first: 50, filter: {operation: [DELIVERY]}) { totalCount edges { node {
    name state scheduledDate partner { name } saleOrder { name deliveryStatus }
    operationType { code warehouse { code } }
    sourceLocation { fullName warehouse { code } } destinationLocation { fullName }
    backorders { name } returns { name }
    moves {
        state quantity productQuantity reservedQuantity quantityDone uom { name }
        sourceLocation { fullName } saleOrderLine { quantity qtyDelivered }
        product { sku tracking uom { name } availability { onHand reserved forecast } }
        lines { reservedQuantity lot { name } sourceLocation { fullName } }
    }
} } } }"""

ORDERS = """{ saleOrders(first: 50) { edges { node {
    name deliveryStatus
    deliveries { name state moves { product { sku availability { available incoming } } } }
} } } }"""

QUANTS = """{ quants(first: 50) { edges { node {
    quantity reservedQuantity product { sku } location { fullName warehouse { code } }
    lot { name } uom { name }
} } } }"""


async def _sell(gql: GraphQLClient, customer: str, products: list[str], orders: int) -> None:
    for _ in range(orders):
        order = await create_order(
            gql, customer, [{"productId": product, "quantity": "1"} for product in products]
        )
        await order_step(gql, "saleOrderConfirm", order["id"])


async def _count(gql: GraphQLClient, statements: StatementCounter, query: str) -> int:
    before = statements.count
    data = await gql(query)
    assert data
    return statements.count - before


async def test_statements_do_not_grow_with_pickings_moves_and_products(
    gql: GraphQLClient, statements: StatementCounter
) -> None:
    products = [
        await create_product(gql, f"P{index}", "10.00", type="STORABLE") for index in range(3)
    ]
    for product in products:
        await receive(gql, product, "100")
    customer = await create_partner(gql, "Azure Interior")
    await _sell(gql, customer, products[:2], 2)
    few = {query: await _count(gql, statements, query) for query in (PICKINGS, ORDERS, QUANTS)}
    # Three times the deliveries, each with one more move and product.
    other = await create_partner(gql, "Deco Addict")
    await _sell(gql, other, products, 4)
    many = {query: await _count(gql, statements, query) for query in (PICKINGS, ORDERS, QUANTS)}
    assert many == few
    # About one statement per level and relationship (PostgreSQL: 18, 7 and 6; SQLite adds
    # its BEGIN statements).
    assert few[PICKINGS] <= 20
    assert few[ORDERS] <= 9
    assert few[QUANTS] <= 8
