"""Reorder rules and the replenishment scan over GraphQL and from `erp replenish`."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.conftest import ROOT, GraphQLClient
from tests.factories import create_partner, create_product
from tests.inventory_factories import receive

RUN = """mutation { replenishmentRun(input: {}) { report {
    rulesScanned linesAdded
    ordersCreated { name partner { name } lines { quantity priceUnit { amount } } }
    ordersExtended { name } transfers { name } skipped { rule { id } reason }
} errors { code message } } }"""


async def warehouse_id(gql: GraphQLClient) -> str:
    data = await gql("{ warehouses { edges { node { id } } } }")
    return data["warehouses"]["edges"][0]["node"]["id"]


async def rule(gql: GraphQLClient, **input: object) -> dict:
    data = await gql(
        """mutation($input: ReorderRuleInput!) { reorderRuleCreate(input: $input) {
            reorderRule { id minQuantity maxQuantity multiple route } errors { field code } } }""",
        {"input": input},
    )
    return data["reorderRuleCreate"]


async def test_the_scan_orders_the_worked_example_once(gql: GraphQLClient) -> None:
    """Min 5, max 30, multiple 6, on hand 2 → one line of 30 to the cheapest vendor."""
    cheap = await create_partner(gql, "Cheap Bolts", isVendor=True)
    dear = await create_partner(gql, "Dear Bolts", isVendor=True)
    bolt = await create_product(gql, "BOLT", "1.00", type="STORABLE")
    for vendor, price in ((cheap, "0.40"), (dear, "0.45")):
        await gql(
            "mutation($p: ID!, $v: ID!, $x: Decimal!) { vendorPriceCreate(input: {productId: $p, partnerId: $v, price: $x}) { errors { code } } }",
            {"p": bolt, "v": vendor, "x": price},
        )
    await receive(gql, bolt, "2")
    wh = await warehouse_id(gql)
    bad = await rule(gql, productId=bolt, warehouseId=wh, minQuantity="5", maxQuantity="4")
    assert bad["errors"] == [{"field": ["maxQuantity"], "code": "INVALID"}]
    made = await rule(
        gql, productId=bolt, warehouseId=wh, minQuantity="5", maxQuantity="30", multiple="6"
    )
    assert made["reorderRule"]["multiple"] == "6"

    first = (await gql(RUN))["replenishmentRun"]
    assert first["errors"] == []
    [order] = first["report"]["ordersCreated"]
    assert order["partner"]["name"] == "Cheap Bolts"
    assert order["lines"] == [{"quantity": "30", "priceUnit": {"amount": "0.40"}}]
    second = (await gql(RUN))["replenishmentRun"]["report"]
    assert (second["ordersCreated"], second["ordersExtended"], second["linesAdded"]) == ([], [], 0)
    listed = await gql("{ reorderRules(filter: {skipped: false}) { totalCount } }")
    assert listed["reorderRules"]["totalCount"] == 1


async def test_erp_replenish_scans_every_company(gql: GraphQLClient) -> None:
    vendor = await create_partner(gql, "Cheap Bolts", isVendor=True)
    bolt = await create_product(gql, "BOLT", "1.00", type="STORABLE")
    await gql(
        'mutation($p: ID!, $v: ID!) { vendorPriceCreate(input: {productId: $p, partnerId: $v, price: "0.40"}) { errors { code } } }',
        {"p": bolt, "v": vendor},
    )
    await rule(
        gql, productId=bolt, warehouseId=await warehouse_id(gql), minQuantity="1", maxQuantity="3"
    )
    process = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).parent / "erp"),
        "replenish",
        cwd=ROOT,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, err.decode()
    assert "1 rules, 1 requests created" in out.decode()
    data = await gql("{ purchaseOrders { edges { node { state lines { quantity } } } } }")
    assert data["purchaseOrders"]["edges"] == [
        {"node": {"state": "DRAFT", "lines": [{"quantity": "3"}]}}
    ]
