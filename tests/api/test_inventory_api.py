"""Inventory over HTTP: lists and filters, stock operations, and refusals that change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from domain.inventory import services
from domain.inventory.models import Move, Picking
from tests.conftest import Db, GraphQLClient
from tests.factories import create_order, create_partner, create_product, order_step
from tests.inventory_factories import (
    PICKING_FIELDS,
    location_id,
    operation_type,
    order_deliveries,
    picking_mutation,
    quants,
    receive,
)
from tests.stock import check_stock_invariants


async def count(db: Db, model: Any) -> int:
    return int(await db.scalar(select(func.count()).select_from(model)))


INPUT_TYPES = {
    "inventoryAdjustmentApply": "InventoryAdjustmentInput",
    "internalTransferCreate": "InternalTransferInput",
    "warehouseCreate": "WarehouseCreateInput",
    "locationCreate": "LocationCreateInput",
    "pickingCreate": "PickingCreateInput",
    "stockScrap": "ScrapInput",
}


async def mutation(gql: GraphQLClient, name: str, input: dict[str, Any], fields: str) -> Any:
    type_name = INPUT_TYPES[name]
    data = await gql(
        f"""mutation($input: {type_name}!) {{ {name}(input: $input) {{
            {fields} errors {{ field code message }} }} }}""",
        {"input": input},
    )
    return data[name]


async def test_bad_validations_are_refused_with_typed_errors_and_change_nothing(
    gql: GraphQLClient, db: Db
) -> None:
    desk = await create_product(gql, "DESK", "320.00", type="STORABLE")
    await receive(gql, desk, "5")
    customer = await create_partner(gql, "Azure Interior")
    order = await create_order(gql, customer, [{"productId": desk, "quantity": "3"}])
    await order_step(gql, "saleOrderConfirm", order["id"])
    [delivery] = (await order_deliveries(gql, order["id"]))["deliveries"]
    move = delivery["moves"][0]["id"]
    cases = [
        (
            {"moves": [{"moveId": move, "quantity": "2"}]},
            ["backorder"],
            "BACKORDER_CHOICE_REQUIRED",
        ),
        (
            {"moves": [{"moveId": move, "quantity": "4"}]},
            ["moves", "0", "quantity"],
            "OVER_DELIVERY",
        ),
        (
            # 3 reserved plus 2 free make 5: a sixth is not there.
            {"moves": [{"moveId": move, "quantity": "6"}], "allowOverDelivery": True},
            ["moves", "0", "quantity"],
            "INSUFFICIENT_STOCK",
        ),
        ({"moves": [{"moveId": move, "quantity": "-1"}]}, ["moves", "0", "quantity"], "INVALID"),
        ({"moves": [{"moveId": desk, "quantity": "1"}]}, ["moves", "0", "moveId"], "NOT_FOUND"),
        (
            {"moves": [{"moveId": "garbage", "quantity": "1"}]},
            ["moves", "0", "moveId"],
            "NOT_FOUND",
        ),
        (
            {"moves": [{"moveId": move, "lots": [{"lotName": "L1", "quantity": "3"}]}]},
            ["moves", "0", "lots"],
            "INVALID",
        ),
    ]
    for input, field, code in cases:
        payload = await picking_mutation(gql, "pickingValidate", delivery["id"], input)
        assert payload["picking"] is None, input
        assert [(error["field"], error["code"]) for error in payload["errors"]] == [(field, code)]
    # Nothing moved, nothing was split: 5 on hand, 3 reserved, one open delivery.
    assert await quants(gql, desk) == [("WH/Stock", None, "5", "3")]
    assert await count(db, Picking) == 2
    assert await count(db, Move) == 2
    # Pickings that are done cannot be validated, reserved or cancelled again.
    done = await picking_mutation(gql, "pickingValidate", delivery["id"])
    assert done["errors"] == []
    for step in ("pickingValidate", "pickingReserve", "pickingCancel", "pickingConfirm"):
        again = await picking_mutation(gql, step, delivery["id"])
        assert [error["code"] for error in again["errors"]] == ["INVALID_TRANSITION"], step
    await check_stock_invariants(db)


async def test_bad_creations_and_counts_are_refused_whole(gql: GraphQLClient, db: Db) -> None:
    desk = await create_product(gql, "DESK", "320.00", type="STORABLE")
    install = await create_product(gql, "INSTALL", "65.00", type="SERVICE")
    receipts = await operation_type(gql, "RECEIPT")
    stock = await location_id(gql, "WH/Stock")
    good = {"productId": desk, "quantity": "1"}
    creations = [
        ({"operationTypeId": receipts, "moves": []}, ["moves"], "REQUIRED"),
        (
            {"operationTypeId": receipts, "moves": [good, {"productId": install, "quantity": "1"}]},
            ["moves", "1", "productId"],
            "NOT_STORABLE",
        ),
        (
            {"operationTypeId": receipts, "moves": [good, {"productId": desk, "quantity": "0"}]},
            ["moves", "1", "quantity"],
            "INVALID",
        ),
        (
            {"operationTypeId": receipts, "moves": [good, {"productId": "bad", "quantity": "1"}]},
            ["moves", "1", "productId"],
            "NOT_FOUND",
        ),
        (
            {"operationTypeId": receipts, "moves": [good], "destinationLocationId": desk},
            ["destinationLocationId"],
            "NOT_FOUND",
        ),
        (
            {"operationTypeId": stock, "moves": [good]},
            ["operationTypeId"],
            "NOT_FOUND",
        ),
    ]
    for input, field, code in creations:
        payload = await mutation(gql, "pickingCreate", input, "picking { id }")
        assert payload["picking"] is None
        assert [(error["field"], error["code"]) for error in payload["errors"]] == [(field, code)]
    counts = [
        (
            {"locationId": stock, "counts": [{"productId": desk, "quantity": "-2"}]},
            ["counts", "0", "quantity"],
            "INVALID",
        ),
        (
            {"locationId": stock, "counts": [{"productId": install, "quantity": "2"}]},
            ["counts", "0", "productId"],
            "NOT_STORABLE",
        ),
        (
            {"locationId": stock, "counts": [{"productId": desk, "quantity": "1", "lotName": "L"}]},
            ["counts", "0", "lotId"],
            "INVALID",
        ),
    ]
    for input, field, code in counts:
        payload = await mutation(gql, "inventoryAdjustmentApply", input, "moves { id }")
        assert payload["moves"] is None
        assert [(error["field"], error["code"]) for error in payload["errors"]] == [(field, code)]
    scrap = await mutation(gql, "stockScrap", {"productId": desk, "quantity": "1"}, "move { id }")
    assert [(error["field"], error["code"]) for error in scrap["errors"]] == [
        (["quantity"], "INSUFFICIENT_STOCK")
    ]
    assert await count(db, Picking) == 0
    assert await count(db, Move) == 0
    assert await quants(gql, desk) == []


async def test_stock_operations_over_http(gql: GraphQLClient, db: Db) -> None:
    chair = await create_product(gql, "CHAIR", "189.90", type="STORABLE")
    await receive(gql, chair, "10")
    stock = await location_id(gql, "WH/Stock")
    shelf = await mutation(
        gql, "locationCreate", {"name": "Shelf A", "parentId": stock}, "location { id fullName }"
    )
    assert shelf["location"]["fullName"] == "WH/Stock/Shelf A"
    shelf_id = shelf["location"]["id"]
    transfer = await mutation(
        gql,
        "internalTransferCreate",
        {
            "sourceLocationId": stock,
            "destinationLocationId": shelf_id,
            "moves": [{"productId": chair, "quantity": "4"}],
        },
        f"picking {{ {PICKING_FIELDS} }}",
    )
    assert (transfer["picking"]["name"], transfer["picking"]["state"]) == (
        "WH/INT/00001",
        "ASSIGNED",
    )
    assert (await picking_mutation(gql, "pickingValidate", transfer["picking"]["id"]))[
        "errors"
    ] == []
    # 10 in: 4 moved to the shelf, 6 stay.
    assert await quants(gql, chair) == [
        ("WH/Stock", None, "6", "0"),
        ("WH/Stock/Shelf A", None, "4", "0"),
    ]
    scrapped = await mutation(
        gql,
        "stockScrap",
        {"productId": chair, "quantity": "1", "locationId": shelf_id},
        "move { state productQuantity destinationLocation { fullName } }",
    )
    assert scrapped["move"] == {
        "state": "DONE",
        "productQuantity": "1",
        "destinationLocation": {"fullName": "Virtual Locations/Scrap"},
    }
    counted = await mutation(
        gql,
        "inventoryAdjustmentApply",
        {"locationId": stock, "counts": [{"productId": chair, "quantity": "5"}], "reason": "Q1"},
        "moves { origin productQuantity sourceLocation { fullName } }",
    )
    # 6 recorded in WH/Stock, 5 counted: one unit goes to Inventory adjustment.
    assert counted["moves"] == [
        {"origin": "Q1", "productQuantity": "1", "sourceLocation": {"fullName": "WH/Stock"}}
    ]
    assert await quants(gql, chair) == [
        ("WH/Stock", None, "5", "0"),
        ("WH/Stock/Shelf A", None, "3", "0"),
    ]
    warehouse = await mutation(
        gql,
        "warehouseCreate",
        {"name": "Second Warehouse", "code": "wh2"},
        "warehouse { code stockLocation { fullName } operationTypes { sequencePrefix } }",
    )
    assert warehouse["warehouse"] == {
        "code": "WH2",
        "stockLocation": {"fullName": "WH2/Stock"},
        "operationTypes": [
            {"sequencePrefix": "WH2/IN/"},
            {"sequencePrefix": "WH2/OUT/"},
            {"sequencePrefix": "WH2/INT/"},
        ],
    }
    await check_stock_invariants(db)


async def test_lots_and_serials_over_http(gql: GraphQLClient, db: Db) -> None:
    laptop = await create_product(gql, "LAPTOP", "999.00", type="STORABLE", tracking="SERIAL")
    refused = await create_product_errors(gql, "CABLE", type="CONSUMABLE", tracking="LOT")
    assert refused == [{"field": ["tracking"], "code": "INVALID"}]
    received = await receive(
        gql,
        laptop,
        "2",
        lots=[{"lotName": "SN-1", "quantity": "1"}, {"lotName": "SN-2", "quantity": "1"}],
    )
    assert sorted(line["lot"]["name"] for line in received["moves"][0]["lines"]) == [
        "SN-1",
        "SN-2",
    ]
    data = await gql(
        """query($p: ID!) { lots(filter: {productId: $p}) { totalCount edges { node { name
            product { sku } } } } }""",
        {"p": laptop},
    )
    assert data["lots"]["totalCount"] == 2
    assert [edge["node"]["name"] for edge in data["lots"]["edges"]] == ["SN-1", "SN-2"]
    assert await quants(gql, laptop) == [
        ("WH/Stock", "SN-1", "1", "0"),
        ("WH/Stock", "SN-2", "1", "0"),
    ]
    await check_stock_invariants(db)


async def create_product_errors(gql: GraphQLClient, sku: str, **fields: Any) -> Any:
    data = await gql(
        """mutation($input: ProductInput!) { productCreate(input: $input) {
            product { id } errors { field code } } }""",
        {"input": {"sku": sku, "name": sku.title(), **fields}},
    )
    return data["productCreate"]["errors"]


async def test_lists_filter_by_state_kind_partner_date_product_and_place(
    gql: GraphQLClient,
) -> None:
    desk = await create_product(gql, "DESK", "320.00", type="STORABLE")
    chair = await create_product(gql, "CHAIR", "189.90", type="STORABLE")
    await receive(gql, desk, "2")
    await receive(gql, chair, "1")
    azure = await create_partner(gql, "Azure Interior")
    deco = await create_partner(gql, "Deco Addict")
    for customer, product in ((azure, desk), (deco, chair), (deco, desk)):
        order = await create_order(gql, customer, [{"productId": product, "quantity": "1"}])
        await order_step(gql, "saleOrderConfirm", order["id"])
    query = """query($f: PickingFilterInput, $s: PickingSortInput) {
        pickings(filter: $f, sortBy: $s) { totalCount edges { node { name state
            partner { name } } } } }"""

    async def names(filter: dict[str, Any], sort: dict[str, Any] | None = None) -> list[str]:
        data = await gql(query, {"f": filter, "s": sort})
        return [edge["node"]["name"] for edge in data["pickings"]["edges"]]

    assert await names({"operation": ["RECEIPT"]}) == ["WH/IN/00001", "WH/IN/00002"]
    assert await names({"operation": ["DELIVERY"], "partnerId": deco}) == [
        "WH/OUT/00002",
        "WH/OUT/00003",
    ]
    # 2 desks and 1 chair: each delivery of one unit is ready.
    assert await names({"state": ["ASSIGNED"]}, {"field": "NAME", "direction": "DESC"}) == [
        "WH/OUT/00003",
        "WH/OUT/00002",
        "WH/OUT/00001",
    ]
    assert await names({"state": ["DONE"], "search": "IN/"}) == ["WH/IN/00001", "WH/IN/00002"]
    assert await names({"scheduledDate": {"lte": "2000-01-01T00:00:00+00:00"}}) == []
    assert len(await names({"scheduledDate": {"gte": "2000-01-01T00:00:00+00:00"}})) == 5
    data = await gql(
        """query($p: ID!, $l: ID!) { quants(filter: {productId: $p, locationId: $l}) {
            totalCount edges { node { quantity reservedQuantity availableQuantity
            product { sku } location { fullName warehouse { code } } uom { name } } } } }""",
        {"p": desk, "l": await location_id(gql, "WH")},
    )
    assert data["quants"]["totalCount"] == 1
    assert data["quants"]["edges"][0]["node"] == {
        "quantity": "2",
        "reservedQuantity": "2",
        "availableQuantity": "0",
        "product": {"sku": "DESK"},
        "location": {"fullName": "WH/Stock", "warehouse": {"code": "WH"}},
        "uom": {"name": "Units"},
    }
    data = await gql(
        """query($n: String!) { picking(name: $n) { id name } }""", {"n": "WH/OUT/00002"}
    )
    by_name = data["picking"]
    data = await gql("query($id: ID!) { node(id: $id) { ... on Picking { name } } }", by_name)
    assert data["node"] == {"name": "WH/OUT/00002"}
    data = await gql(
        """query($p: ID!) { moves(filter: {productId: $p, state: [DONE]}) { totalCount } }""",
        {"p": desk},
    )
    assert data["moves"]["totalCount"] == 1


async def test_availability_per_warehouse_and_date_on_products(gql: GraphQLClient) -> None:
    desk = await create_product(gql, "DESK", "320.00", type="STORABLE")
    await receive(gql, desk, "5")
    receipts = await operation_type(gql, "RECEIPT")
    data = await gql(
        """mutation($input: PickingCreateInput!) { pickingCreate(input: $input) {
            picking { id } errors { code } } }""",
        {
            "input": {
                "operationTypeId": receipts,
                "scheduledDate": "2099-06-01T09:00:00+00:00",
                "moves": [{"productId": desk, "quantity": "7"}],
            }
        },
    )
    await picking_mutation(gql, "pickingConfirm", data["pickingCreate"]["picking"]["id"])
    customer = await create_partner(gql, "Azure Interior")
    order = await create_order(gql, customer, [{"productId": desk, "quantity": "2"}])
    await order_step(gql, "saleOrderConfirm", order["id"])
    warehouse = (await gql("{ warehouses { edges { node { id } } } }"))["warehouses"]["edges"][0]
    data = await gql(
        """query($p: ID!, $w: ID!) { node(id: $p) { ... on Product {
            now: availability(warehouseId: $w) {
                onHand reserved available incoming outgoing forecast warehouse { code } uom { name }
            }
            before: availability(warehouseId: $w, date: "2099-05-31") { incoming forecast }
            after: availability(warehouseId: $w, date: "2099-06-01") { incoming forecast date }
            everywhere: availability { onHand forecast warehouse { code } }
        } } }""",
        {"p": desk, "w": warehouse["node"]["id"]},
    )
    product = data["node"]
    # 5 on hand, 2 reserved for the order; 7 expected on 1 June 2099; 2 going out.
    assert product["now"] == {
        "onHand": "5",
        "reserved": "2",
        "available": "3",
        "incoming": "7",
        "outgoing": "2",
        "forecast": "10",
        "warehouse": {"code": "WH"},
        "uom": {"name": "Units"},
    }
    # The day before the receipt: 5 − 2 = 3; from that day on: 5 + 7 − 2 = 10.
    assert product["before"] == {"incoming": "0", "forecast": "3"}
    assert product["after"] == {"incoming": "7", "forecast": "10", "date": "2099-06-01"}
    assert product["everywhere"] == {"onHand": "5", "forecast": "10", "warehouse": None}


async def test_a_conflict_that_keeps_coming_back_is_a_typed_error_not_a_500(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = await create_product(gql, "DESK", "320.00", type="STORABLE")
    received = await receive(gql, desk, "1")

    class Deadlock(Exception):
        sqlstate = "40P01"

    async def deadlocked(*_args: Any) -> Any:
        raise OperationalError("SELECT ... FOR UPDATE", {}, Deadlock())

    monkeypatch.setattr(services, "reserve_picking", deadlocked)
    payload = await picking_mutation(gql, "pickingReserve", received["id"])
    assert payload["picking"] is None
    assert [error["code"] for error in payload["errors"]] == ["CONCURRENT_UPDATE"]
