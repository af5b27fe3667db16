"""Goods coming in serve the deliveries waiting for them, oldest scheduled first."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient
from tests.factories import create_order, create_partner, create_product, order_step
from tests.inventory_factories import (
    location_id,
    order_deliveries,
    picking_mutation,
    quants,
    receive,
)


async def sold(gql: GraphQLClient, customer: str, product: str, quantity: str) -> str:
    """A confirmed order of `quantity` of the product; its ID."""
    order = await create_order(gql, customer, [{"productId": product, "quantity": quantity}])
    confirmed = await order_step(gql, "saleOrderConfirm", order["id"])
    assert confirmed["errors"] == []
    return order["id"]


async def delivery(gql: GraphQLClient, order_id: str, index: int = 0) -> dict[str, Any]:
    return (await order_deliveries(gql, order_id))["deliveries"][index]


def reserved(picking: dict[str, Any]) -> tuple[str, list[str]]:
    return picking["state"], [move["reservedQuantity"] for move in picking["moves"]]


async def test_a_receipt_reserves_waiting_deliveries_oldest_first(gql: GraphQLClient) -> None:
    chair = await create_product(gql, "CHAIR", "189.90", type="STORABLE")
    customer = await create_partner(gql, "Azure Interior")
    first = await sold(gql, customer, chair, "5")
    second = await sold(gql, customer, chair, "3")
    assert reserved(await delivery(gql, first)) == ("CONFIRMED", ["0"])

    # 6 arrive: the older delivery takes its 5, the newer the 1 left.
    await receive(gql, chair, "6")
    assert reserved(await delivery(gql, first)) == ("ASSIGNED", ["5"])
    assert reserved(await delivery(gql, second)) == ("PARTIALLY_AVAILABLE", ["1"])

    # A count of 8 finds 2 more: the newer delivery gets them and is complete.
    counted = await gql(
        """mutation($input: InventoryAdjustmentInput!) { inventoryAdjustmentApply(input: $input) {
            errors { field code } } }""",
        {
            "input": {
                "locationId": await location_id(gql, "WH/Stock"),
                "counts": [{"productId": chair, "quantity": "8"}],
            }
        },
    )
    assert counted["inventoryAdjustmentApply"]["errors"] == []
    assert reserved(await delivery(gql, second)) == ("ASSIGNED", ["3"])
    assert await quants(gql, chair) == [("WH/Stock", None, "8", "8")]


async def test_a_backorder_is_reserved_when_its_goods_arrive(gql: GraphQLClient) -> None:
    desk = await create_product(gql, "DESK", "320.00", type="STORABLE")
    customer = await create_partner(gql, "Deco Addict")
    await receive(gql, desk, "1")
    order = await sold(gql, customer, desk, "4")
    first = await delivery(gql, order)
    assert reserved(first) == ("PARTIALLY_AVAILABLE", ["1"])
    done = await picking_mutation(gql, "pickingValidate", first["id"], {"backorder": "CREATE"})
    assert done["errors"] == []
    assert reserved(await delivery(gql, order, 1)) == ("CONFIRMED", ["0"])

    # 5 arrive: the backorder takes the 3 it waits for, 2 stay free.
    await receive(gql, desk, "5")
    assert reserved(await delivery(gql, order, 1)) == ("ASSIGNED", ["3"])
    assert await quants(gql, desk) == [("WH/Stock", None, "5", "3")]
