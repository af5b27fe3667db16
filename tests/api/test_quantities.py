"""Quantities are taken as given or refused, never rounded behind the caller's back."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.factories import create_partner, create_product
from tests.inventory_factories import (
    location_id,
    operation_type,
    picking_mutation,
    quants,
    receive,
)

ORDER = """mutation($input: SaleOrderCreateInput!) { saleOrderCreate(input: $input) {
    saleOrder { lines { quantity uom { name } priceSubtotal { amount } } }
    errors { field code message } } }"""
PICKING = """mutation($input: PickingCreateInput!) { pickingCreate(input: $input) {
    picking { id moves { id } } errors { field code message } } }"""
INVOICE = """mutation($input: InvoiceCreateInput!) { invoiceCreate(input: $input) {
    invoice { lines { quantity uom { name } priceSubtotal { amount } } }
    errors { field code message } } }"""


def codes(payload: dict[str, Any]) -> list[tuple[list[str] | None, str]]:
    return [(error["field"], error["code"]) for error in payload["errors"]]


async def unit_id(gql: GraphQLClient, name: str) -> str:
    data = await gql("{ uoms(first: 100) { edges { node { id name } } } }")
    return next(e["node"]["id"] for e in data["uoms"]["edges"] if e["node"]["name"] == name)


async def order(gql: GraphQLClient, product: str, quantity: str, **line: Any) -> dict[str, Any]:
    customer = await create_partner(gql, "Deco Addict")
    data = await gql(
        ORDER,
        {
            "input": {
                "partnerId": customer,
                "lines": [{"productId": product, "quantity": quantity, **line}],
            }
        },
    )
    return data["saleOrderCreate"]


@pytest.mark.parametrize("text", ["1_000", " 1", "1 ", "٣", "1,5", "0x10", "NaN", ""])
async def test_the_decimal_scalar_takes_plain_ascii_numbers_only(
    gql: GraphQLClient, text: str
) -> None:
    body = await gql.raw(
        "mutation($rate: Decimal!) { currencyRateSet(input: "
        '{currency: "USD", date: "2026-03-01", rate: $rate}) { errors { code } } }',
        {"rate": text},
    )
    assert body["data"] is None
    assert "is not a decimal number" in body["errors"][0]["message"]


async def test_a_decimal_literal_is_read_exactly(gql: GraphQLClient) -> None:
    product = await create_product(gql, "DESK", "320.00")
    customer = await create_partner(gql, "Gemini Furniture")
    data = await gql(
        f"""mutation {{ saleOrderCreate(input: {{partnerId: "{customer}",
            lines: [{{productId: "{product}", quantity: 1e-400}}]}}) {{
            saleOrder {{ id }} errors {{ field code }} }} }}"""
    )
    assert codes(data["saleOrderCreate"]) == [(["lines", "0", "quantity"], "QUANTITY_PRECISION")]


@pytest.mark.parametrize(("number", "errors"), [("1e-400", "QUANTITY_PRECISION"), ("2.0", None)])
async def test_a_json_number_is_read_as_written(
    gql: GraphQLClient, number: str, errors: str | None
) -> None:
    product = await create_product(gql, "DESK", "320.00")
    customer = await create_partner(gql, "Gemini Furniture")
    body = (
        '{"query": "mutation($q: Decimal!, $p: ID!, $c: ID!) { saleOrderCreate(input: '
        '{partnerId: $c, lines: [{productId: $p, quantity: $q}]}) { errors { field code } } }", '
        f'"variables": {{"q": {number}, "p": "{product}", "c": "{customer}"}}}}'
    )
    response = await gql.http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    payload = response.json()["data"]["saleOrderCreate"]
    assert codes(payload) == ([(["lines", "0", "quantity"], errors)] if errors else [])


@pytest.mark.parametrize("quantity", ["0.1", "0.0000001", "1e-400", "0.5", "2.5"])
async def test_a_quantity_finer_than_its_unit_is_refused_on_a_sales_line(
    gql: GraphQLClient, quantity: str
) -> None:
    product = await create_product(gql, "DESK", "320.00")
    payload = await order(gql, product, quantity)
    assert codes(payload) == [(["lines", "0", "quantity"], "QUANTITY_PRECISION")]
    assert payload["saleOrder"] is None
    listed = await gql("{ saleOrders { totalCount } }")
    assert listed["saleOrders"]["totalCount"] == 0


async def test_zero_is_refused_and_a_quantity_the_unit_counts_is_kept(gql: GraphQLClient) -> None:
    product = await create_product(gql, "SAND", "0.50", uomId=await unit_id(gql, "g"))
    assert codes(await order(gql, product, "0")) == [(["lines", "0", "quantity"], "INVALID")]
    assert codes(await order(gql, product, "1.922")) == [
        (["lines", "0", "quantity"], "QUANTITY_PRECISION")
    ]
    # Grams round to 0.01: 1.92 g at 0.50 a gram is 0.96.
    kept = await order(gql, product, "1.92")
    assert kept["saleOrder"]["lines"] == [
        {"quantity": "1.92", "uom": {"name": "g"}, "priceSubtotal": {"amount": "0.96"}}
    ]
    # 0.001 kg is 1 g: a kilogram quantity to the gram is fine, 0.0001 kg is not.
    kilograms = await unit_id(gql, "kg")
    assert (await order(gql, product, "0.001", uomId=kilograms))["errors"] == []
    assert codes(await order(gql, product, "0.0001", uomId=kilograms)) == [
        (["lines", "0", "quantity"], "QUANTITY_PRECISION")
    ]


async def test_stock_quantities_are_refused_at_their_field(gql: GraphQLClient) -> None:
    product = await create_product(gql, "CHAIR", "189.90", type="STORABLE")
    created = await gql(
        PICKING,
        {
            "input": {
                "operationTypeId": await operation_type(gql, "RECEIPT"),
                "moves": [{"productId": product, "quantity": "0.5"}],
            }
        },
    )
    assert codes(created["pickingCreate"]) == [(["moves", "0", "quantity"], "QUANTITY_PRECISION")]
    created = await gql(
        PICKING,
        {
            "input": {
                "operationTypeId": await operation_type(gql, "RECEIPT"),
                "moves": [{"productId": product, "quantity": "5"}],
            }
        },
    )
    picking = created["pickingCreate"]["picking"]
    done = await picking_mutation(
        gql,
        "pickingValidate",
        picking["id"],
        {
            "moves": [{"moveId": picking["moves"][0]["id"], "quantity": "2.5"}],
            "backorder": "CREATE",
        },
    )
    assert codes(done) == [(["moves", "0", "quantity"], "QUANTITY_PRECISION")]
    drill = await create_product(gql, "DRILL", "80.00", type="STORABLE", tracking="LOT")
    created = await gql(
        PICKING,
        {
            "input": {
                "operationTypeId": await operation_type(gql, "RECEIPT"),
                "moves": [{"productId": drill, "quantity": "5"}],
            }
        },
    )
    lotted = created["pickingCreate"]["picking"]
    lots = [{"lotName": "L1", "quantity": "1.5"}, {"lotName": "L2", "quantity": "0.5"}]
    done = await picking_mutation(
        gql,
        "pickingValidate",
        lotted["id"],
        {"moves": [{"moveId": lotted["moves"][0]["id"], "lots": lots}], "backorder": "CREATE"},
    )
    assert codes(done) == [(["moves", "0", "lots", "0", "quantity"], "QUANTITY_PRECISION")]
    await receive(gql, product, "4")
    stock = await location_id(gql, "WH/Stock")
    counted = await gql(
        """mutation($input: InventoryAdjustmentInput!) { inventoryAdjustmentApply(input: $input) {
            errors { field code } } }""",
        {"input": {"locationId": stock, "counts": [{"productId": product, "quantity": "3.5"}]}},
    )
    assert codes(counted["inventoryAdjustmentApply"]) == [
        (["counts", "0", "quantity"], "QUANTITY_PRECISION")
    ]
    scrapped = await gql(
        """mutation($input: ScrapInput!) { stockScrap(input: $input) { errors { field code } } }""",
        {"input": {"productId": product, "quantity": "0.5"}},
    )
    assert codes(scrapped["stockScrap"]) == [(["quantity"], "QUANTITY_PRECISION")]
    assert await quants(gql, product) == [("WH/Stock", None, "4", "0")]


async def test_invoice_quantities_count_in_their_unit(gql: GraphQLClient) -> None:
    desk = await create_product(gql, "DESK", "320.00")
    customer = await create_partner(gql, "Lumber Inc")

    async def invoice(line: dict[str, Any]) -> dict[str, Any]:
        data = await gql(
            INVOICE,
            {
                "input": {
                    "moveType": "OUT_INVOICE",
                    "partnerId": customer,
                    "date": "2026-03-01",
                    "lines": [line],
                }
            },
        )
        return data["invoiceCreate"]

    refused = await invoice({"productId": desk, "quantity": "0.5"})
    assert codes(refused) == [(["lines", "0", "quantity"], "QUANTITY_PRECISION")]
    refused = await invoice({"name": "Advice", "quantity": "0.0000001", "priceUnit": "100"})
    assert codes(refused) == [(["lines", "0", "quantity"], "QUANTITY_PRECISION")]
    # 2.5 hours of advice at 100.00 without a product: 250.00.
    kept = await invoice({"name": "Advice", "quantity": "2.5", "priceUnit": "100"})
    assert kept["invoice"]["lines"] == [
        {"quantity": "2.5", "uom": None, "priceSubtotal": {"amount": "250.00"}}
    ]


async def test_an_invoiced_order_line_keeps_its_unit_through_the_credit_note(
    gql: GraphQLClient,
) -> None:
    sand = await create_product(gql, "SAND", "0.50", uomId=await unit_id(gql, "g"))
    customer = await create_partner(gql, "Ready Mat")
    order = await gql(
        ORDER,
        {
            "input": {
                "partnerId": customer,
                "lines": [
                    {"productId": sand, "quantity": "1.922", "uomId": await unit_id(gql, "kg")}
                ],
            }
        },
    )
    # 1.922 kg at 0.50 a gram: 500.00 a kilogram, 961.00.
    assert order["saleOrderCreate"]["saleOrder"]["lines"] == [
        {"quantity": "1.922", "uom": {"name": "kg"}, "priceSubtotal": {"amount": "961.00"}}
    ]
    listed = await gql("{ saleOrders { edges { node { id } } } }")
    order_id = listed["saleOrders"]["edges"][0]["node"]["id"]
    await gql(
        "mutation($id: ID!) { saleOrderConfirm(id: $id) { errors { code } } }", {"id": order_id}
    )
    invoiced = await gql(
        """mutation($input: InvoiceFromOrdersInput!) { invoiceCreateFromOrders(input: $input) {
            invoice { id lines { id quantity uom { name } priceSubtotal { amount } } }
            errors { field code } } }""",
        {"input": {"orderIds": [order_id], "date": "2026-03-01"}},
    )
    invoice = invoiced["invoiceCreateFromOrders"]["invoice"]
    [line] = invoice["lines"]
    assert (line["quantity"], line["uom"], line["priceSubtotal"]) == (
        "1.922",
        {"name": "kg"},
        {"amount": "961.00"},
    )
    await gql(
        "mutation($id: ID!) { invoicePost(id: $id) { errors { code } } }", {"id": invoice["id"]}
    )
    credit = """mutation($id: ID!, $input: CreditNoteInput) { invoiceCreditNote(id: $id, input: $input) {
        invoice { lines { quantity uom { name } priceSubtotal { amount } } } errors { field code } } }"""

    async def credited(quantity: str) -> dict[str, Any]:
        data = await gql(
            credit,
            {
                "id": invoice["id"],
                "input": {"lines": [{"lineId": line["id"], "quantity": quantity}]},
            },
        )
        return data["invoiceCreditNote"]

    assert codes(await credited("0.0005")) == [(["lines", "0", "quantity"], "QUANTITY_PRECISION")]
    # Half a kilogram, counted in kilograms as invoiced: 250.00.
    assert (await credited("0.5"))["invoice"]["lines"] == [
        {"quantity": "0.5", "uom": {"name": "kg"}, "priceSubtotal": {"amount": "250.00"}}
    ]
    # The rest, 1.422: a quantity of kilograms as invoiced, not of the product's grams: 711.00.
    assert (await credited("1.422"))["invoice"]["lines"] == [
        {"quantity": "1.422", "uom": {"name": "kg"}, "priceSubtotal": {"amount": "711.00"}}
    ]
