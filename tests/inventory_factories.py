"""Stock built through the public API, the way a frontend would."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient

PICKING_FIELDS = """
    id name state origin
    operationType { code }
    backorderOf { name } returnOf { name }
    sourceLocation { fullName } destinationLocation { fullName }
    moves {
        id state quantity productQuantity reservedQuantity quantityDone
        product { sku } uom { name }
        lines { sourceLocation { fullName } lot { name } reservedQuantity quantityDone }
    }
"""


async def operation_type(gql: GraphQLClient, code: str) -> str:
    """The ID of the first warehouse's operation type of `code` (RECEIPT, DELIVERY, ...)."""
    data = await gql("{ warehouses { edges { node { operationTypes { id code } } } } }")
    types = data["warehouses"]["edges"][0]["node"]["operationTypes"]
    return next(kind["id"] for kind in types if kind["code"] == code)


async def location_id(gql: GraphQLClient, full_name: str) -> str:
    data = await gql(
        """query($s: String) {
            locations(filter: {search: $s}, first: 50) { edges { node { id fullName } } } }""",
        {"s": full_name},
    )
    return next(
        edge["node"]["id"]
        for edge in data["locations"]["edges"]
        if edge["node"]["fullName"] == full_name
    )


async def picking_mutation(
    gql: GraphQLClient, mutation: str, picking_id: str, input: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Run a picking mutation (`pickingValidate`, ...) and return its payload."""
    arguments = "(id: $id, input: $input)" if input is not None else "(id: $id)"
    declared = "$id: ID!"
    if input is not None:
        declared += f", $input: {mutation[0].upper()}{mutation[1:]}Input"
    data = await gql(
        f"""mutation({declared}) {{ {mutation}{arguments} {{
            picking {{ {PICKING_FIELDS} }} errors {{ field code message }} }} }}""",
        {"id": picking_id, **({"input": input} if input is not None else {})},
    )
    return data[mutation]


async def receive(
    gql: GraphQLClient, product_id: str, quantity: str, lots: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Receive goods into WH/Stock from the vendors and validate the receipt."""
    data = await gql(
        f"""mutation($input: PickingCreateInput!) {{ pickingCreate(input: $input) {{
            picking {{ {PICKING_FIELDS} }} errors {{ field code message }} }} }}""",
        {
            "input": {
                "operationTypeId": await operation_type(gql, "RECEIPT"),
                "moves": [{"productId": product_id, "quantity": quantity}],
            }
        },
    )
    assert data["pickingCreate"]["errors"] == [], data
    picking = data["pickingCreate"]["picking"]
    done = {"moves": [{"moveId": picking["moves"][0]["id"], "lots": lots}]} if lots else {}
    payload = await picking_mutation(gql, "pickingValidate", picking["id"], done)
    assert payload["errors"] == [], payload
    return payload["picking"]


async def order_deliveries(gql: GraphQLClient, order_id: str) -> dict[str, Any]:
    """The order's delivery status, lines and deliveries."""
    data = await gql(
        f"""query($id: ID!) {{ node(id: $id) {{ ... on SaleOrder {{
            name deliveryStatus lines {{ qtyDelivered qtyToInvoice }}
            deliveries {{ {PICKING_FIELDS} }} }} }} }}""",
        {"id": order_id},
    )
    return data["node"]


async def quants(gql: GraphQLClient, product_id: str) -> list[tuple[str, str | None, str, str]]:
    """(location, lot, quantity, reserved) of a product's quants holding something."""
    data = await gql(
        """query($p: ID!) { quants(filter: {productId: $p}, first: 100) { edges { node {
            location { fullName } lot { name } quantity reservedQuantity } } } }""",
        {"p": product_id},
    )
    return [
        (
            node["location"]["fullName"],
            node["lot"]["name"] if node["lot"] else None,
            node["quantity"],
            node["reservedQuantity"],
        )
        for node in (edge["node"] for edge in data["quants"]["edges"])
    ]
