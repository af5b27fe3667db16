"""Records built through the public API, the way a frontend would build them."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient

ORDER_FIELDS = """
    id name state
    amountUntaxed { amount currency } amountTax { amount } amountTotal { amount }
    lines {
        id name quantity discount
        priceUnit { amount } priceSubtotal { amount } priceTax { amount } priceTotal { amount }
        qtyDelivered qtyInvoiced qtyToInvoice
        product { sku } uom { name } taxes { name }
    }
"""


async def create_tax(
    gql: GraphQLClient, name: str, amount: str, *, price_include: bool = False, **extra: Any
) -> str:
    data = await gql(
        "mutation($input: TaxInput!) { taxCreate(input: $input) { tax { id } errors { code message } } }",
        {"input": {"name": name, "amount": amount, "priceInclude": price_include, **extra}},
    )
    assert data["taxCreate"]["errors"] == []
    return data["taxCreate"]["tax"]["id"]


async def create_product(gql: GraphQLClient, sku: str, price: str, **fields: Any) -> str:
    data = await gql(
        "mutation($input: ProductInput!) { productCreate(input: $input) { product { id } errors { field code message } } }",
        {
            "input": {
                "sku": sku,
                "name": fields.pop("name", sku.title()),
                "salePrice": price,
                **fields,
            }
        },
    )
    assert data["productCreate"]["errors"] == [], data
    return data["productCreate"]["product"]["id"]


async def create_partner(
    gql: GraphQLClient, name: str, headers: dict[str, str] | None = None, **fields: Any
) -> str:
    data = await gql(
        "mutation($input: PartnerInput!) { partnerCreate(input: $input) { partner { id } errors { field code message } } }",
        {"input": {"name": name, "isCustomer": True, **fields}},
        headers=headers,
    )
    assert data["partnerCreate"]["errors"] == [], data
    return data["partnerCreate"]["partner"]["id"]


async def create_order(
    gql: GraphQLClient, partner_id: str, lines: list[dict[str, Any]], **header: Any
) -> dict[str, Any]:
    data = await gql(
        f"""mutation($input: SaleOrderCreateInput!) {{
            saleOrderCreate(input: $input) {{ saleOrder {{ {ORDER_FIELDS} }} errors {{ field code message }} }}
        }}""",
        {"input": {"partnerId": partner_id, "lines": lines, **header}},
    )
    assert data["saleOrderCreate"]["errors"] == [], data
    return data["saleOrderCreate"]["saleOrder"]


async def bank_journal(gql: GraphQLClient) -> str:
    """The global ID of the company's Bank journal (BNK)."""
    journals = await gql("{ journals { edges { node { id code } } } }")
    return next(
        e["node"]["id"] for e in journals["journals"]["edges"] if e["node"]["code"] == "BNK"
    )


async def pay_invoices(
    gql: GraphQLClient,
    partner_id: str,
    amount: str,
    invoice_ids: list[str],
    date: str,
    **extra: Any,
) -> list[dict[str, Any]]:
    """Register a payment received from the partner into the bank journal for the invoices;
    the payload's errors."""
    data = await gql(
        """mutation($input: PaymentRegisterInput!) { paymentRegister(input: $input) {
            errors { field code message } } }""",
        {
            "input": {
                "paymentType": "INBOUND",
                "partnerId": partner_id,
                "amount": amount,
                "journalId": await bank_journal(gql),
                "date": date,
                "invoiceIds": invoice_ids,
                **extra,
            }
        },
    )
    return data["paymentRegister"]["errors"]


async def order_step(gql: GraphQLClient, mutation: str, order_id: str) -> dict[str, Any]:
    """Run a workflow mutation (`saleOrderConfirm`, ...) and return its payload."""
    data = await gql(
        f"""mutation($id: ID!) {{ {mutation}(id: $id) {{
            saleOrder {{ {ORDER_FIELDS} }} errors {{ field code message }} }} }}""",
        {"id": order_id},
    )
    return data[mutation]


PURCHASE_FIELDS = """
    id name state receiptStatus billStatus amountTotal { amount currency }
    lines { id quantity qtyReceived qtyBilled qtyToBill priceUnit { amount } product { sku } }
    receipts { id name state moves { id quantity } }
    bills { id amountTotal { amount } }
"""


async def create_purchase(
    gql: GraphQLClient, vendor_id: str, lines: list[dict[str, Any]], *, confirm: bool = True
) -> dict[str, Any]:
    """A request for quotation through the API, confirmed into an order by default."""
    data = await gql(
        f"""mutation($input: PurchaseOrderCreateInput!) {{
            purchaseOrderCreate(input: $input) {{ purchaseOrder {{ {PURCHASE_FIELDS} }} errors {{ field code message }} }}
        }}""",
        {"input": {"partnerId": vendor_id, "lines": lines}},
    )
    assert data["purchaseOrderCreate"]["errors"] == [], data
    order = data["purchaseOrderCreate"]["purchaseOrder"]
    if confirm:
        order = await purchase_step(gql, "purchaseOrderConfirm", order["id"])
    return order


async def purchase_step(gql: GraphQLClient, mutation: str, order_id: str) -> dict[str, Any]:
    data = await gql(
        f"""mutation($id: ID!) {{ {mutation}(id: $id) {{
            purchaseOrder {{ {PURCHASE_FIELDS} }} errors {{ field code message }} }} }}""",
        {"id": order_id},
    )
    assert data[mutation]["errors"] == [], data
    return data[mutation]["purchaseOrder"]


async def bill_purchases(gql: GraphQLClient, input: dict[str, Any]) -> dict[str, Any]:
    """`billCreateFromPurchaseOrders`' payload."""
    data = await gql(
        """mutation($input: BillFromPurchaseOrdersInput!) {
            billCreateFromPurchaseOrders(input: $input) {
                bill { id amountTotal { amount } } errors { field code message } } }""",
        {"input": input},
    )
    return data["billCreateFromPurchaseOrders"]
