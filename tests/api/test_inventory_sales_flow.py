"""From sales order to delivery and back over HTTP, with every quantity worked out by hand."""

from __future__ import annotations

from tests.conftest import Db, GraphQLClient
from tests.factories import create_order, create_partner, create_product, order_step
from tests.inventory_factories import (
    order_deliveries,
    picking_mutation,
    quants,
    receive,
)
from tests.stock import check_stock_invariants


async def test_order_delivered_in_two_goes_then_partly_returned(gql: GraphQLClient, db: Db) -> None:
    desk = await create_product(gql, "DESK", "320.00", type="STORABLE", invoicePolicy="DELIVERED")
    lamp = await create_product(gql, "LAMP", "39.99", type="CONSUMABLE")
    received = await receive(gql, desk, "6")
    assert (received["name"], received["state"]) == ("WH/IN/00001", "DONE")
    customer = await create_partner(gql, "Azure Interior")
    order = await create_order(
        gql,
        customer,
        [{"productId": desk, "quantity": "4"}, {"productId": lamp, "quantity": "2"}],
    )
    assert (await order_step(gql, "saleOrderConfirm", order["id"]))["errors"] == []

    status = await order_deliveries(gql, order["id"])
    assert status["deliveryStatus"] == "PENDING"
    [delivery] = status["deliveries"]
    assert (delivery["name"], delivery["state"], delivery["origin"]) == (
        "WH/OUT/00001",
        "ASSIGNED",
        order["name"],
    )
    assert delivery["operationType"] == {"code": "DELIVERY"}
    assert (delivery["sourceLocation"], delivery["destinationLocation"]) == (
        {"fullName": "WH/Stock"},
        {"fullName": "Partners/Customers"},
    )
    desk_move, lamp_move = delivery["moves"]
    # 6 desks on hand, 4 reserved from WH/Stock; lamps are consumables, always available.
    assert (desk_move["product"], desk_move["quantity"], desk_move["reservedQuantity"]) == (
        {"sku": "DESK"},
        "4",
        "4",
    )
    assert desk_move["lines"] == [
        {
            "sourceLocation": {"fullName": "WH/Stock"},
            "lot": None,
            "reservedQuantity": "4",
            "quantityDone": "0",
        }
    ]
    assert (lamp_move["state"], lamp_move["reservedQuantity"]) == ("ASSIGNED", "2")
    assert await quants(gql, desk) == [("WH/Stock", None, "6", "4")]

    # 3 of 4 desks and both lamps go; the last desk goes in a backorder.
    first_go = {
        "moves": [{"moveId": desk_move["id"], "quantity": "3"}],
        "backorder": "CREATE",
    }
    payload = await picking_mutation(gql, "pickingValidate", delivery["id"], first_go)
    assert payload["errors"] == []
    assert payload["picking"]["state"] == "DONE"
    status = await order_deliveries(gql, order["id"])
    assert status["deliveryStatus"] == "PARTIAL"
    # Desks invoiced on delivery: 3 delivered, 3 to invoice; lamps on order: 2 and 2.
    assert status["lines"] == [
        {"qtyDelivered": "3", "qtyToInvoice": "3"},
        {"qtyDelivered": "2", "qtyToInvoice": "2"},
    ]
    _, backorder = status["deliveries"]
    assert (backorder["name"], backorder["state"], backorder["backorderOf"]) == (
        "WH/OUT/00002",
        "ASSIGNED",
        {"name": "WH/OUT/00001"},
    )
    assert [move["quantity"] for move in backorder["moves"]] == ["1"]
    # 6 − 3 = 3 on hand, 1 held by the backorder.
    assert await quants(gql, desk) == [("WH/Stock", None, "3", "1")]

    assert (await picking_mutation(gql, "pickingValidate", backorder["id"]))["errors"] == []
    status = await order_deliveries(gql, order["id"])
    assert status["deliveryStatus"] == "FULL"
    assert status["lines"][0] == {"qtyDelivered": "4", "qtyToInvoice": "4"}

    # One desk comes back: a receipt from the customer, linked to the first delivery.
    out_move = status["deliveries"][0]["moves"][0]
    payload = await picking_mutation(
        gql,
        "pickingReturn",
        delivery["id"],
        {"moves": [{"moveId": out_move["id"], "quantity": "1"}]},
    )
    assert payload["errors"] == []
    back = payload["picking"]
    assert (back["name"], back["returnOf"], back["operationType"]) == (
        "WH/IN/00002",
        {"name": "WH/OUT/00001"},
        {"code": "RECEIPT"},
    )
    assert (await picking_mutation(gql, "pickingValidate", back["id"]))["errors"] == []
    status = await order_deliveries(gql, order["id"])
    # 4 delivered − 1 returned = 3 delivered and to invoice; stock 3 − 1 + 1 = 3.
    assert status["lines"][0] == {"qtyDelivered": "3", "qtyToInvoice": "3"}
    assert await quants(gql, desk) == [("WH/Stock", None, "3", "0")]

    refused = await order_step(gql, "saleOrderCancel", order["id"])
    assert [error["code"] for error in refused["errors"]] == ["ALREADY_DELIVERED"]
    await check_stock_invariants(db)


async def test_cancelling_a_confirmed_order_releases_its_reservation(
    gql: GraphQLClient, db: Db
) -> None:
    chair = await create_product(gql, "CHAIR", "189.90", type="STORABLE")
    await receive(gql, chair, "2")
    customer = await create_partner(gql, "Deco Addict")
    order = await create_order(gql, customer, [{"productId": chair, "quantity": "3"}])
    await order_step(gql, "saleOrderConfirm", order["id"])
    status = await order_deliveries(gql, order["id"])
    # 2 on hand for 3 ordered: partially available.
    assert status["deliveries"][0]["state"] == "PARTIALLY_AVAILABLE"
    assert await quants(gql, chair) == [("WH/Stock", None, "2", "2")]
    cancelled = await order_step(gql, "saleOrderCancel", order["id"])
    assert cancelled["errors"] == []
    status = await order_deliveries(gql, order["id"])
    assert status["deliveryStatus"] == "NOTHING"
    assert status["deliveries"][0]["state"] == "CANCEL"
    assert {move["state"] for move in status["deliveries"][0]["moves"]} == {"CANCEL"}
    assert await quants(gql, chair) == [("WH/Stock", None, "2", "0")]
    await check_stock_invariants(db)


async def test_an_order_of_services_only_has_no_delivery(gql: GraphQLClient) -> None:
    install = await create_product(gql, "INSTALL", "65.00", type="SERVICE")
    customer = await create_partner(gql, "Ready Mat")
    order = await create_order(gql, customer, [{"productId": install, "quantity": "2"}])
    await order_step(gql, "saleOrderConfirm", order["id"])
    status = await order_deliveries(gql, order["id"])
    assert (status["deliveryStatus"], status["deliveries"]) == ("NOTHING", [])
