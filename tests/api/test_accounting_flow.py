"""Order to invoice to payment over HTTP, with the worked example's numbers."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient
from tests.factories import (
    bank_journal,
    create_order,
    create_partner,
    create_product,
    create_tax,
    order_step,
)

INVOICE = """id number state moveType paymentState
    amountUntaxed { amount } amountTax { amount } amountTotal { amount currency }
    amountResidual { amount }
    journalLines { account { code } debit { amount } credit { amount } dateMaturity }"""


async def _invoice_order(gql: GraphQLClient) -> tuple[str, str, dict[str, Any]]:
    vat = await create_tax(gql, "VAT 15%", "15")
    desk = await create_product(gql, "DESK", "100.00", saleTaxIds=[vat])
    customer = await create_partner(gql, "Azure Interior")
    order = await create_order(gql, customer, [{"productId": desk, "quantity": "2"}])
    await order_step(gql, "saleOrderConfirm", order["id"])
    data = await gql(
        f"""mutation($input: InvoiceFromOrdersInput!) {{ invoiceCreateFromOrders(input: $input) {{
            invoice {{ {INVOICE} }} errors {{ field code message }} }} }}""",
        {"input": {"orderIds": [order["id"]], "date": "2026-03-01"}},
    )
    payload = data["invoiceCreateFromOrders"]
    assert payload["errors"] == []
    return customer, order["id"], payload["invoice"]


async def test_order_invoiced_posted_and_paid(gql: GraphQLClient) -> None:
    customer, order_id, draft = await _invoice_order(gql)
    assert draft["state"] == "DRAFT" and draft["number"] is None
    # 2 × 100.00 = 200.00; tax 30.00; total 230.00.
    assert draft["amountTotal"] == {"amount": "230.00", "currency": "EUR"}
    assert [
        (line["account"]["code"], line["debit"]["amount"], line["credit"]["amount"])
        for line in draft["journalLines"]
    ] == [("4000", "0.00", "200.00"), ("2100", "0.00", "30.00"), ("1100", "230.00", "0.00")]
    posted = await gql(
        f"mutation($id: ID!) {{ invoicePost(id: $id) {{ invoice {{ {INVOICE} }} errors {{ code }} }} }}",
        {"id": draft["id"]},
    )
    assert posted["invoicePost"]["invoice"]["number"] == "INV/2026/00001"
    again = await gql(
        "mutation($input: InvoiceFromOrdersInput!) { invoiceCreateFromOrders(input: $input) { invoice { id } errors { code } } }",
        {"input": {"orderIds": [order_id]}},
    )
    assert again["invoiceCreateFromOrders"] == {
        "invoice": None,
        "errors": [{"code": "NOTHING_TO_INVOICE"}],
    }
    bank = await bank_journal(gql)
    register = """mutation($input: PaymentRegisterInput!) { paymentRegister(input: $input) {
        payment { id amount { amount } } errors { field code message } } }"""
    payment_input = {
        "paymentType": "INBOUND",
        "partnerId": customer,
        "amount": "100.00",
        "journalId": bank,
        "date": "2026-03-05",
        "invoiceIds": [draft["id"]],
        "idempotencyKey": "bank-ref-1",
    }
    first = (await gql(register, {"input": payment_input}))["paymentRegister"]
    retry = (await gql(register, {"input": payment_input}))["paymentRegister"]
    assert first["errors"] == [] and retry["payment"]["id"] == first["payment"]["id"]
    # The same key with another amount is refused at the key, and registers nothing.
    other = {**payment_input, "amount": "120.00"}
    refused = (await gql(register, {"input": other}))["paymentRegister"]
    assert refused["payment"] is None
    assert [(error["field"], error["code"]) for error in refused["errors"]] == [
        (["idempotencyKey"], "INVALID")
    ]
    data = await gql(
        """query($id: ID!) { node(id: $id) { ... on Partner {
            balance invoices { number paymentState amountResidual { amount }
                payments { amount { amount } } } } } }""",
        {"id": customer},
    )
    partner = data["node"]
    # 230.00 − 100.00 = 130.00 still owed.
    assert partner["balance"] == "130.00"
    assert partner["invoices"] == [
        {
            "number": "INV/2026/00001",
            "paymentState": "PARTIAL",
            "amountResidual": {"amount": "130.00"},
            "payments": [{"amount": {"amount": "100.00"}}],
        }
    ]
    order = await gql(
        "query($id: ID!) { node(id: $id) { ... on SaleOrder { invoices { number } lines { qtyInvoiced qtyToInvoice } } } }",
        {"id": order_id},
    )
    assert order["node"] == {
        "invoices": [{"number": "INV/2026/00001"}],
        "lines": [{"qtyInvoiced": "2", "qtyToInvoice": "0"}],
    }
    trial = await gql(
        '{ trialBalance(dateFrom: "2026-01-01", dateTo: "2026-12-31") { account { code } closing } }'
    )
    # Bank 100.00, receivable 130.00, tax payable −30.00, sales −200.00: sums to zero.
    assert [(row["account"]["code"], row["closing"]) for row in trial["trialBalance"]] == [
        ("1000", "100.00"),
        ("1100", "130.00"),
        ("2100", "-30.00"),
        ("4000", "-200.00"),
    ]


async def test_bad_entry_is_refused_and_changes_nothing(gql: GraphQLClient) -> None:
    data = await gql(
        "{ accounts(first: 100) { edges { node { id code } } } journals { edges { node { id code } } } }"
    )
    accounts = {e["node"]["code"]: e["node"]["id"] for e in data["accounts"]["edges"]}
    misc = next(e["node"]["id"] for e in data["journals"]["edges"] if e["node"]["code"] == "MISC")
    created = await gql(
        """mutation($input: EntryCreateInput!) { entryCreate(input: $input) {
            entry { id } errors { field code } } }""",
        {
            "input": {
                "journalId": misc,
                "date": "2026-03-01",
                "lines": [
                    {"accountId": accounts["1000"], "debit": "10.00"},
                    {"accountId": accounts["3000"], "credit": "9.99"},
                ],
            }
        },
    )
    entry_id = created["entryCreate"]["entry"]["id"]
    posted = await gql(
        "mutation($id: ID!) { entryPost(id: $id) { entry { number } errors { code message } } }",
        {"id": entry_id},
    )
    assert posted["entryPost"]["entry"] is None
    assert posted["entryPost"]["errors"][0]["code"] == "UNBALANCED"
    state = await gql(
        "query($id: ID!) { node(id: $id) { ... on JournalEntry { state number } } }",
        {"id": entry_id},
    )
    assert state["node"] == {"state": "DRAFT", "number": None}
