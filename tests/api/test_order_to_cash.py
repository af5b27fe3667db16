"""The whole chain over HTTP: goods bought and billed, sold, delivered in two goes, invoiced on
delivery, paid; the books balance at every step and the object graph reads in a fixed number
of statements."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient, StatementCounter
from tests.factories import (
    create_order,
    create_partner,
    create_product,
    create_tax,
    order_step,
    pay_invoices,
)
from tests.inventory_factories import order_deliveries, picking_mutation, receive

INVOICE_FROM_ORDERS = """mutation($input: InvoiceFromOrdersInput!) {
    invoiceCreateFromOrders(input: $input) {
        invoice { id amountUntaxed { amount } amountTax { amount } amountTotal { amount } }
        errors { code } } }"""
GRAPH = """query($id: ID!) { node(id: $id) { ... on Partner {
    balance
    orders(first: 50) { edges { node {
        name invoiceStatus deliveryStatus
        lines { qtyDelivered qtyInvoiced qtyToInvoice }
        deliveries { name state moves { quantity product { sku } } }
        invoices { number paymentState amountTotal { amount }
            journalLines { account { code } debit { amount } credit { amount } }
            payments { amount { amount } journal { code } } }
    } } }
} } }"""


async def _status(gql: GraphQLClient, order_id: str) -> str:
    data = await gql(
        "query($id: ID!) { node(id: $id) { ... on SaleOrder { invoiceStatus } } }",
        {"id": order_id},
    )
    return str(data["node"]["invoiceStatus"])


async def _invoice_and_post(gql: GraphQLClient, order_id: str, date: str) -> dict[str, Any]:
    created = (await gql(INVOICE_FROM_ORDERS, {"input": {"orderIds": [order_id], "date": date}}))[
        "invoiceCreateFromOrders"
    ]
    assert created["errors"] == [], created
    posted = await gql(
        "mutation($id: ID!) { invoicePost(id: $id) { invoice { number } errors { code } } }",
        {"id": created["invoice"]["id"]},
    )
    assert posted["invoicePost"]["errors"] == []
    return {**created["invoice"], "number": posted["invoicePost"]["invoice"]["number"]}


async def _trial_balance(gql: GraphQLClient) -> dict[str, str]:
    data = await gql(
        '{ trialBalance(dateFrom: "2026-01-01", dateTo: "2026-12-31") { account { code } closing } }'
    )
    return {row["account"]["code"]: row["closing"] for row in data["trialBalance"]}


async def _sell_and_deliver(gql: GraphQLClient, customer: str, desk: str) -> dict[str, Any]:
    order = await create_order(gql, customer, [{"productId": desk, "quantity": "4"}])
    assert (await order_step(gql, "saleOrderConfirm", order["id"]))["errors"] == []
    [delivery] = (await order_deliveries(gql, order["id"]))["deliveries"]
    first_go = {"moves": [{"moveId": delivery["moves"][0]["id"], "quantity": "3"}]}
    payload = await picking_mutation(
        gql, "pickingValidate", delivery["id"], {**first_go, "backorder": "CREATE"}
    )
    assert payload["errors"] == []
    return order


async def test_procure_sell_deliver_invoice_pay(gql: GraphQLClient) -> None:
    vat = await create_tax(gql, "VAT 15%", "15")
    desk = await create_product(
        gql,
        "DESK",
        "320.00",
        cost="200.00",
        type="STORABLE",
        invoicePolicy="DELIVERED",
        saleTaxIds=[vat],
    )
    vendor = await create_partner(gql, "Wood Corner", isVendor=True, isCustomer=False)
    customer = await create_partner(gql, "Azure Interior")

    # 6 desks received at 200.00: stock valuation 1,200.00 against received-not-billed.
    await receive(gql, desk, "6")
    bill = await gql(
        """mutation($input: InvoiceCreateInput!) { invoiceCreate(input: $input) {
            invoice { id journalLines { account { code } debit { amount } } } errors { code } } }""",
        {
            "input": {
                "moveType": "IN_INVOICE",
                "partnerId": vendor,
                "date": "2026-03-01",
                "lines": [
                    {"productId": desk, "quantity": "6", "priceUnit": "200.00", "taxIds": []}
                ],
            }
        },
    )
    assert bill["invoiceCreate"]["errors"] == []
    # Stocked goods on the bill debit 2200 Stock Received Not Billed, not 6000 Expenses.
    assert [
        (line["account"]["code"], line["debit"]["amount"])
        for line in bill["invoiceCreate"]["invoice"]["journalLines"]
    ] == [("2200", "1200.00"), ("2000", "0.00")]
    posted = await gql(
        "mutation($id: ID!) { invoicePost(id: $id) { errors { code } } }",
        {"id": bill["invoiceCreate"]["invoice"]["id"]},
    )
    assert posted["invoicePost"]["errors"] == []

    order = await create_order(gql, customer, [{"productId": desk, "quantity": "4"}])
    assert await _status(gql, order["id"]) == "NOTHING"
    assert (await order_step(gql, "saleOrderConfirm", order["id"]))["errors"] == []
    # Invoiced on delivery, nothing delivered yet: nothing to invoice.
    assert await _status(gql, order["id"]) == "NOTHING"
    early = await gql(INVOICE_FROM_ORDERS, {"input": {"orderIds": [order["id"]]}})
    assert early["invoiceCreateFromOrders"]["errors"] == [{"code": "NOTHING_TO_INVOICE"}]

    [delivery] = (await order_deliveries(gql, order["id"]))["deliveries"]
    first_go = {"moves": [{"moveId": delivery["moves"][0]["id"], "quantity": "3"}]}
    payload = await picking_mutation(
        gql, "pickingValidate", delivery["id"], {**first_go, "backorder": "CREATE"}
    )
    assert payload["errors"] == []
    assert await _status(gql, order["id"]) == "TO_INVOICE"
    first = await _invoice_and_post(gql, order["id"], "2026-03-10")
    # 3 × 320.00 = 960.00; tax 15 % = 144.00; total 1,104.00.
    assert (first["amountUntaxed"], first["amountTax"], first["amountTotal"]) == (
        {"amount": "960.00"},
        {"amount": "144.00"},
        {"amount": "1104.00"},
    )
    # 3 of 4 invoiced, the fourth not delivered yet: nothing to invoice now.
    assert await _status(gql, order["id"]) == "NOTHING"

    backorder = (await order_deliveries(gql, order["id"]))["deliveries"][1]
    assert (await picking_mutation(gql, "pickingValidate", backorder["id"]))["errors"] == []
    assert await _status(gql, order["id"]) == "TO_INVOICE"
    second = await _invoice_and_post(gql, order["id"], "2026-03-12")
    # 1 × 320.00 + 48.00 tax = 368.00.
    assert second["amountTotal"] == {"amount": "368.00"}
    assert await _status(gql, order["id"]) == "INVOICED"
    listed = await gql(
        "{ saleOrders(filter: {invoiceStatus: [INVOICED]}) { edges { node { name } } } }"
    )
    assert [edge["node"]["name"] for edge in listed["saleOrders"]["edges"]] == [order["name"]]

    # One transfer pays both: 1,104.00 + 368.00 = 1,472.00.
    paid = await pay_invoices(gql, customer, "1472.00", [first["id"], second["id"]], "2026-03-20")
    assert paid == []

    graph = (await gql(GRAPH, {"id": customer}))["node"]
    assert graph["balance"] == "0.00"
    [node] = [edge["node"] for edge in graph["orders"]["edges"]]
    assert (node["invoiceStatus"], node["deliveryStatus"]) == ("INVOICED", "FULL")
    assert node["lines"] == [{"qtyDelivered": "4", "qtyInvoiced": "4", "qtyToInvoice": "0"}]
    assert [(d["state"], d["moves"][0]["quantity"]) for d in node["deliveries"]] == [
        ("DONE", "3"),
        ("DONE", "1"),
    ]
    assert [
        (i["number"], i["paymentState"], i["amountTotal"]["amount"], i["payments"])
        for i in node["invoices"]
    ] == [
        (
            "INV/2026/00001",
            "PAID",
            "1104.00",
            [{"amount": {"amount": "1472.00"}, "journal": {"code": "BNK"}}],
        ),
        (
            "INV/2026/00002",
            "PAID",
            "368.00",
            [{"amount": {"amount": "1472.00"}, "journal": {"code": "BNK"}}],
        ),
    ]

    # Bank 1,472.00; receivable settled; stock 6 × 200 − 4 × 200 = 400.00; received-not-billed
    # cleared by the bill; payable 1,200.00 to the vendor; tax 144 + 48 = 192.00; sales
    # 960 + 320 = 1,280.00; cost of goods sold 4 × 200 = 800.00. Sum: 1472 + 400 − 1200 − 192
    # − 1280 + 800 = 0.
    assert await _trial_balance(gql) == {
        "1000": "1472.00",
        "1100": "0.00",
        "1200": "400.00",
        "2000": "-1200.00",
        "2100": "-192.00",
        "2200": "0.00",
        "4000": "-1280.00",
        "5000": "800.00",
    }


async def test_the_object_graph_reads_in_fixed_statements(
    gql: GraphQLClient, statements: StatementCounter
) -> None:
    """Partner → orders → deliveries → moves → invoices → journal lines → payments costs the
    same number of statements with one order as with three."""
    desk = await create_product(
        gql, "DESK", "320.00", cost="200.00", type="STORABLE", invoicePolicy="DELIVERED"
    )
    customer = await create_partner(gql, "Azure Interior")
    await receive(gql, desk, "12")
    counts = []
    for round_ in range(3):
        order = await _sell_and_deliver(gql, customer, desk)
        invoice = await _invoice_and_post(gql, order["id"], "2026-03-10")
        paid = await pay_invoices(gql, customer, "960.00", [invoice["id"]], "2026-03-20")
        assert paid == []
        if round_ == 1:
            continue
        statements.count = 0
        graph = (await gql(GRAPH, {"id": customer}))["node"]
        counts.append(statements.count)
        assert len(graph["orders"]["edges"]) == round_ + 1
    # 3 × 320.00 per order, no tax; every invoice paid in full.
    assert all(
        invoice["paymentState"] == "PAID" and invoice["amountTotal"] == {"amount": "960.00"}
        for edge in graph["orders"]["edges"]
        for invoice in edge["node"]["invoices"]
    )
    assert counts[0] == counts[1], counts
