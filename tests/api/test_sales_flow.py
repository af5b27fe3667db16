"""Quotation to sales order over HTTP, with every amount worked out by hand."""

from __future__ import annotations

from sqlalchemy import func, select

from domain.sales.models import SaleOrder
from tests.conftest import Db, GraphQLClient
from tests.factories import create_order, create_partner, create_product, create_tax, order_step


async def worked_example(gql: GraphQLClient) -> dict:
    tax_excluded = await create_tax(gql, "VAT 15%", "15")
    tax_included = await create_tax(gql, "VAT 15% incl.", "15", price_include=True)
    widget = await create_product(gql, "WIDGET", "19.99", saleTaxIds=[tax_excluded])
    gadget = await create_product(gql, "GADGET", "5.00", saleTaxIds=[tax_included])
    customer = await create_partner(gql, "Azure Interior", email="buyer@azure.example")
    return await create_order(
        gql,
        customer,
        [
            {"productId": widget, "quantity": "3", "discount": "10"},
            {"productId": gadget, "quantity": "2"},
        ],
    )


async def test_worked_example_amounts(gql: GraphQLClient) -> None:
    order = await worked_example(gql)
    first, second = order["lines"]
    # 3 × 19.99 − 10 % = 53.973 → 53.97; tax 15 % of 53.973 = 8.09595 → 8.10; total 62.07.
    assert first["priceUnit"]["amount"] == "19.99"
    assert first["priceSubtotal"]["amount"] == "53.97"
    assert first["priceTax"]["amount"] == "8.10"
    assert first["priceTotal"]["amount"] == "62.07"
    # 2 × 5.00 = 10.00 with 15 % included: tax 10 − 10/1.15 = 1.3043… → 1.30; untaxed 8.70.
    assert second["priceSubtotal"]["amount"] == "8.70"
    assert second["priceTax"]["amount"] == "1.30"
    assert second["priceTotal"]["amount"] == "10.00"
    # Order: 53.97 + 8.70 = 62.67 untaxed; 8.10 + 1.30 = 9.40 tax; 72.07 total.
    assert order["amountUntaxed"] == {"amount": "62.67", "currency": "EUR"}
    assert order["amountTax"]["amount"] == "9.40"
    assert order["amountTotal"]["amount"] == "72.07"
    assert order["state"] == "DRAFT"
    assert order["name"] == "S00001"
    assert [line["taxes"] for line in order["lines"]] == [
        [{"name": "VAT 15%"}],
        [{"name": "VAT 15% incl."}],
    ]


async def test_confirm_makes_ordered_quantities_invoiceable(gql: GraphQLClient) -> None:
    order = await worked_example(gql)
    assert [line["qtyToInvoice"] for line in order["lines"]] == ["0", "0"]
    payload = await order_step(gql, "saleOrderConfirm", order["id"])
    assert payload["errors"] == []
    confirmed = payload["saleOrder"]
    assert confirmed["state"] == "SALE"
    # Invoice policy "ordered" (the default): everything ordered is to invoice.
    assert [line["qtyToInvoice"] for line in confirmed["lines"]] == ["3", "2"]
    assert [line["qtyDelivered"] for line in confirmed["lines"]] == ["0", "0"]


async def test_delivered_policy_waits_for_delivery(gql: GraphQLClient) -> None:
    desk = await create_product(gql, "DESK", "100.00", invoicePolicy="DELIVERED", type="STORABLE")
    customer = await create_partner(gql, "Deco Addict")
    order = await create_order(gql, customer, [{"productId": desk, "quantity": "4"}])
    confirmed = (await order_step(gql, "saleOrderConfirm", order["id"]))["saleOrder"]
    assert confirmed["lines"][0]["qtyToInvoice"] == "0"


async def test_workflow_refuses_illegal_transitions_and_changes_nothing(gql: GraphQLClient) -> None:
    order = await worked_example(gql)
    await order_step(gql, "saleOrderConfirm", order["id"])
    again = await order_step(gql, "saleOrderConfirm", order["id"])
    assert again["saleOrder"] is None
    assert again["errors"] == [
        {
            "field": None,
            "code": "INVALID_TRANSITION",
            "message": "A sales order cannot go from sale to sale.",
        }
    ]
    unlock = await order_step(gql, "saleOrderUnlock", order["id"])
    assert unlock["errors"][0]["code"] == "INVALID_TRANSITION"
    locked = await order_step(gql, "saleOrderLock", order["id"])
    assert locked["saleOrder"]["state"] == "DONE"
    cancel = await order_step(gql, "saleOrderCancel", order["id"])
    assert cancel["errors"][0]["code"] == "INVALID_TRANSITION"
    assert (await order_step(gql, "saleOrderUnlock", order["id"]))["saleOrder"]["state"] == "SALE"
    cancelled = await order_step(gql, "saleOrderCancel", order["id"])
    assert cancelled["saleOrder"]["state"] == "CANCEL"
    assert [line["qtyToInvoice"] for line in cancelled["saleOrder"]["lines"]] == ["0", "0"]
    assert (await order_step(gql, "saleOrderDraft", order["id"]))["saleOrder"]["state"] == "DRAFT"


async def test_confirming_an_empty_quotation_is_refused(gql: GraphQLClient) -> None:
    customer = await create_partner(gql, "Lumber Inc")
    order = await create_order(gql, customer, [])
    payload = await order_step(gql, "saleOrderConfirm", order["id"])
    assert payload["errors"][0]["code"] == "NO_LINES"
    data = await gql(
        "query($name: String!) { saleOrder(name: $name) { state } }", {"name": order["name"]}
    )
    assert data["saleOrder"]["state"] == "DRAFT"


async def test_bad_lines_are_refused_whole(gql: GraphQLClient, db: Db) -> None:
    widget = await create_product(gql, "WIDGET", "10.00")
    customer = await create_partner(gql, "Ready Mat")
    mutation = """mutation($input: SaleOrderCreateInput!) {
        saleOrderCreate(input: $input) { saleOrder { id } errors { field code message } } }"""
    cases = [
        ({"productId": widget, "quantity": "-1"}, ["lines", "1", "quantity"], "INVALID"),
        (
            {"productId": widget, "quantity": "1", "discount": "120"},
            ["lines", "1", "discount"],
            "INVALID",
        ),
        ({"productId": customer, "quantity": "1"}, ["productId"], "NOT_FOUND"),
        ({"productId": "garbage", "quantity": "1"}, ["productId"], "NOT_FOUND"),
    ]
    for bad_line, field, code in cases:
        data = await gql(
            mutation,
            {
                "input": {
                    "partnerId": customer,
                    "lines": [{"productId": widget, "quantity": "1"}, bad_line],
                }
            },
        )
        payload = data["saleOrderCreate"]
        assert payload["saleOrder"] is None
        assert payload["errors"][0]["code"] == code, payload
        assert payload["errors"][0]["field"] == field, payload
    assert await db.scalar(select(func.count()).select_from(SaleOrder)) == 0


async def test_editing_lines_recomputes_totals(gql: GraphQLClient) -> None:
    tax = await create_tax(gql, "VAT 20%", "20")
    pen = await create_product(gql, "PEN", "2.50", saleTaxIds=[tax])
    dozens = (await gql("{ uoms(first: 50) { edges { node { id name } } } }"))["uoms"]["edges"]
    dozen_id = next(edge["node"]["id"] for edge in dozens if edge["node"]["name"] == "Dozens")
    customer = await create_partner(gql, "Gemini Furniture")
    order = await create_order(
        gql, customer, [{"productId": pen, "quantity": "1", "uomId": dozen_id}]
    )
    line = order["lines"][0]
    # A dozen pens at 2.50 each: 30.00 per dozen; 20 % tax 6.00.
    assert (line["priceUnit"]["amount"], line["uom"]["name"]) == ("30.00", "Dozens")
    assert order["amountTotal"]["amount"] == "36.00"
    data = await gql(
        """mutation($id: ID!) {
            saleOrderLineUpdate(id: $id, input: {quantity: "2", discount: "50"}) {
            saleOrder { amountUntaxed { amount } amountTax { amount } amountTotal { amount } }
            errors { code } } }""",
        {"id": line["id"]},
    )
    # 2 dozens × 30.00 − 50 % = 30.00; tax 6.00; total 36.00.
    totals = data["saleOrderLineUpdate"]["saleOrder"]
    assert (totals["amountUntaxed"]["amount"], totals["amountTax"]["amount"]) == ("30.00", "6.00")
    data = await gql(
        """mutation($id: ID!, $lines: [SaleOrderLineInput!]!) {
            saleOrderLinesAdd(id: $id, lines: $lines) {
            saleOrder { amountTotal { amount } lines { id } } errors { code } } }""",
        {"id": order["id"], "lines": [{"productId": pen, "quantity": "4", "priceUnit": "1.00"}]},
    )
    # Plus 4 × 1.00 = 4.00 and 20 % = 0.80: 36.00 + 4.80 = 40.80.
    added = data["saleOrderLinesAdd"]["saleOrder"]
    assert added["amountTotal"]["amount"] == "40.80"
    data = await gql(
        """mutation($id: ID!) { saleOrderLineDelete(id: $id) {
            saleOrder { amountTotal { amount } } errors { code } } }""",
        {"id": added["lines"][1]["id"]},
    )
    assert data["saleOrderLineDelete"]["saleOrder"]["amountTotal"]["amount"] == "36.00"
    await order_step(gql, "saleOrderConfirm", order["id"])
    data = await gql(
        """mutation($id: ID!) {
            saleOrderLineDelete(id: $id) { saleOrder { id } errors { code } } }""",
        {"id": line["id"]},
    )
    assert data["saleOrderLineDelete"]["errors"] == [{"code": "NOT_EDITABLE"}]


async def test_numbers_follow_each_other_per_company(gql: GraphQLClient) -> None:
    customer = await create_partner(gql, "Azure Interior")
    names = [(await create_order(gql, customer, []))["name"] for _ in range(3)]
    assert names == ["S00001", "S00002", "S00003"]
    other = await gql(
        """mutation { companyCreate(input: {name: "Second Co", currency: "USD"}) {
            company { id } errors { code } } }"""
    )
    headers = {"X-Company-Id": other["companyCreate"]["company"]["id"]}
    data = await gql(
        """mutation {
            partnerCreate(input: {name: "US Buyer", isCustomer: true}) { partner { id } } }""",
        headers=headers,
    )
    data = await gql(
        """mutation($p: ID!) { saleOrderCreate(input: {partnerId: $p}) {
            saleOrder { name currency { code } } } }""",
        {"p": data["partnerCreate"]["partner"]["id"]},
        headers=headers,
    )
    assert data["saleOrderCreate"]["saleOrder"] == {"name": "S00001", "currency": {"code": "USD"}}
