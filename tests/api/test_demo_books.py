"""The stock the books open with is an opening balance, not a profit: in the demo and for
any count that says so."""

from __future__ import annotations

from typing import Any

from domain.core.db import utcnow
from domain.demo import load_demo
from tests.conftest import DATABASE_URL, Db, GraphQLClient
from tests.factories import create_product
from tests.inventory_factories import location_id

STATEMENT = "{ total accounts { account { code } amount } }"
BOOKS = f"""query($from: Date!, $to: Date!) {{
    profitAndLoss(dateFrom: $from, dateTo: $to) {{ expenses {STATEMENT} netProfit }}
    balanceSheet(asOf: $to) {{ assets {STATEMENT} equity {STATEMENT} }}
}}"""


async def books(gql: GraphQLClient, headers: dict[str, str] | None = None) -> dict[str, Any]:
    today = utcnow().date()
    return await gql(
        BOOKS, {"from": today.replace(month=1, day=1).isoformat(), "to": today.isoformat()}, headers
    )


async def test_the_demo_opens_its_stock_against_opening_balance(gql: GraphQLClient, db: Db) -> None:
    assert await load_demo(DATABASE_URL, force=True)
    companies = await gql("{ companies { edges { node { id name } } } }")
    demo = next(
        edge["node"]["id"]
        for edge in companies["companies"]["edges"]
        if edge["node"]["name"] == "My Company"
    )
    data = await books(gql, {"X-Company-Id": demo})
    # 20 desks at 210.00 and 20 chairs at 95.00: 6,100.00 of stock, none of it earned.
    assert data["profitAndLoss"] == {
        "expenses": {"total": "0.00", "accounts": []},
        "netProfit": "0.00",
    }
    assert data["balanceSheet"]["assets"] == {
        "total": "6100.00",
        "accounts": [{"account": {"code": "1200"}, "amount": "6100.00"}],
    }
    assert data["balanceSheet"]["equity"] == {
        "total": "6100.00",
        "accounts": [{"account": {"code": "3900"}, "amount": "6100.00"}],
    }


async def test_an_opening_count_is_an_opening_balance_and_a_later_one_an_expense(
    gql: GraphQLClient,
) -> None:
    chair = await create_product(gql, "CHAIR", "189.90", type="STORABLE", cost="95.00")
    stock = await location_id(gql, "WH/Stock")

    async def count(quantity: str, opening: bool) -> None:
        data = await gql(
            """mutation($input: InventoryAdjustmentInput!) {
                inventoryAdjustmentApply(input: $input) { errors { field code } } }""",
            {
                "input": {
                    "locationId": stock,
                    "counts": [{"productId": chair, "quantity": quantity}],
                    "openingBalance": opening,
                }
            },
        )
        assert data["inventoryAdjustmentApply"]["errors"] == []

    await count("10", True)
    data = await books(gql)
    assert data["profitAndLoss"]["netProfit"] == "0.00"
    assert data["balanceSheet"]["equity"]["accounts"] == [
        {"account": {"code": "3900"}, "amount": "950.00"}
    ]
    # 2 chairs found later are a gain of 190.00: a negative expense.
    await count("12", False)
    data = await books(gql)
    assert data["profitAndLoss"]["expenses"] == {
        "total": "-190.00",
        "accounts": [{"account": {"code": "6000"}, "amount": "-190.00"}],
    }
    assert data["profitAndLoss"]["netProfit"] == "190.00"
