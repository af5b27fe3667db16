"""Stock valuation through the API: receipts at a unit cost, a product's valued stock."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient, StatementCounter
from tests.factories import create_product
from tests.inventory_factories import PICKING_FIELDS, operation_type, picking_mutation

VALUATION = """query { products(first: 50) { edges { node {
    sku stockValuation { quantity value { amount currency } averageCost } } } } }"""


async def receive_at(gql: GraphQLClient, product_id: str, quantity: str, price: str) -> None:
    data = await gql(
        f"""mutation($input: PickingCreateInput!) {{ pickingCreate(input: $input) {{
            picking {{ {PICKING_FIELDS} }} errors {{ field code message }} }} }}""",
        {
            "input": {
                "operationTypeId": await operation_type(gql, "RECEIPT"),
                "moves": [{"productId": product_id, "quantity": quantity, "priceUnit": price}],
            }
        },
    )
    assert data["pickingCreate"]["errors"] == [], data
    picking = data["pickingCreate"]["picking"]
    payload = await picking_mutation(
        gql,
        "pickingValidate",
        picking["id"],
        {"moves": [{"moveId": picking["moves"][0]["id"], "quantity": quantity}]},
    )
    assert payload["errors"] == [], payload


def _by_sku(data: dict[str, Any]) -> dict[str, Any]:
    return {
        edge["node"]["sku"]: edge["node"]["stockValuation"] for edge in data["products"]["edges"]
    }


async def test_products_show_their_stock_valued_at_average_cost(
    gql: GraphQLClient, statements: StatementCounter
) -> None:
    bolt = await create_product(gql, "BOLT", "1.00", type="STORABLE")
    await create_product(gql, "NUT", "1.00", type="STORABLE")
    await receive_at(gql, bolt, "3", "10.00")
    await receive_at(gql, bolt, "1", "10.01")
    before = statements.count
    valued = _by_sku(await gql(VALUATION))
    few = statements.count - before
    assert valued == {
        "BOLT": {
            "quantity": "4",
            "value": {"amount": "40.01", "currency": "EUR"},
            "averageCost": "10.0025",
        },
        "NUT": {
            "quantity": "0",
            "value": {"amount": "0.00", "currency": "EUR"},
            "averageCost": "0",
        },
    }
    for index in range(5):
        sku = f"PART{index}"
        await receive_at(gql, await create_product(gql, sku, "1.00", type="STORABLE"), "2", "3")
    before = statements.count
    assert _by_sku(await gql(VALUATION))["PART4"]["value"]["amount"] == "6.00"
    assert statements.count - before == few
