"""Procure to pay over GraphQL: vendor prices, an order received in two parts and billed on
received quantities, the three-way match, and the reads around an order."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient
from tests.factories import (
    bill_purchases,
    create_partner,
    create_product,
    create_purchase,
    pay_invoices,
)
from tests.inventory_factories import picking_mutation


async def vendor_price(gql: GraphQLClient, **input: Any) -> dict[str, Any]:
    data = await gql(
        """mutation($input: VendorPriceInput!) { vendorPriceCreate(input: $input) {
            vendorPrice { id price { amount currency } minQuantity leadDays vendorCode partner { name } }
            errors { field code message } } }""",
        {"input": input},
    )
    return data["vendorPriceCreate"]


async def order_named(gql: GraphQLClient, order_id: str) -> dict[str, Any]:
    data = await gql(
        """query($id: ID!) { node(id: $id) { ... on PurchaseOrder {
            state receiptStatus billStatus
            lines { qtyReceived qtyBilled qtyToBill }
            receipts { id name state moves { id } }
            bills { amountTotal { amount } } } } }""",
        {"id": order_id},
    )
    return data["node"]


async def test_receive_in_two_parts_and_bill_what_was_received(gql: GraphQLClient) -> None:
    """PO of 10 at 4.00 → receive 6 → bill 24.00; a line for 7 is refused; receive the
    backorder of 4 → bill the remaining 16.00, and pay it all."""
    vendor = await create_partner(gql, "Wood Corner", isVendor=True, isCustomer=False)
    bolt = await create_product(gql, "BOLT", "9.00", type="STORABLE", invoicePolicy="DELIVERED")
    price = await vendor_price(
        gql, productId=bolt, partnerId=vendor, price="4.00", vendorCode="B-1"
    )
    assert price["errors"] == []
    assert price["vendorPrice"]["price"] == {"amount": "4.00", "currency": "EUR"}
    order = await create_purchase(gql, vendor, [{"productId": bolt, "quantity": "10"}])
    assert order["amountTotal"] == {"amount": "40.00", "currency": "EUR"}
    assert (order["state"], order["receiptStatus"], order["billStatus"]) == (
        "PURCHASE",
        "PENDING",
        "NOTHING",
    )
    [line] = order["lines"]
    assert line["priceUnit"]["amount"] == "4.00"
    [receipt] = order["receipts"]
    done = await picking_mutation(
        gql,
        "pickingValidate",
        receipt["id"],
        {"moves": [{"moveId": receipt["moves"][0]["id"], "quantity": "6"}], "backorder": "CREATE"},
    )
    assert done["errors"] == [], done

    refused = await bill_purchases(
        gql, {"orderIds": [order["id"]], "lines": [{"lineId": line["id"], "quantity": "7"}]}
    )
    assert refused["bill"] is None
    assert refused["errors"][0]["code"] == "OVER_BILLED"
    assert refused["errors"][0]["field"] == ["lines", "0", "quantity"]

    first = await bill_purchases(gql, {"orderIds": [order["id"]], "date": "2026-06-15"})
    assert first["errors"] == [] and first["bill"]["amountTotal"]["amount"] == "24.00"
    read = await order_named(gql, order["id"])
    assert read["lines"] == [{"qtyReceived": "6", "qtyBilled": "6", "qtyToBill": "0"}]
    assert (read["receiptStatus"], read["billStatus"]) == ("PARTIAL", "NOTHING")

    backorder = read["receipts"][1]
    assert (await picking_mutation(gql, "pickingValidate", backorder["id"]))["errors"] == []
    second = await bill_purchases(gql, {"orderIds": [order["id"]], "date": "2026-06-15"})
    assert second["bill"]["amountTotal"]["amount"] == "16.00"
    read = await order_named(gql, order["id"])
    assert (read["receiptStatus"], read["billStatus"]) == ("FULL", "BILLED")
    assert [bill["amountTotal"]["amount"] for bill in read["bills"]] == ["24.00", "16.00"]

    bills = [first["bill"]["id"], second["bill"]["id"]]
    for bill in bills:
        posted = await gql(
            "mutation($id: ID!) { invoicePost(id: $id) { errors { code } } }", {"id": bill}
        )
        assert posted["invoicePost"]["errors"] == []
    paid_out = await pay_invoices(gql, vendor, "40.00", bills, "2026-06-20", paymentType="OUTBOUND")
    assert paid_out == []
    paid = await gql(
        "query($id: ID!) { node(id: $id) { ... on Invoice { paymentState } } }", {"id": bills[0]}
    )
    assert paid["node"]["paymentState"] == "PAID"


async def test_a_price_off_the_order_needs_a_reason_which_the_audit_keeps(
    gql: GraphQLClient,
) -> None:
    vendor = await create_partner(gql, "Wood Corner", isVendor=True)
    desk = await create_product(gql, "DESK", "300.00", type="STORABLE", invoicePolicy="ORDERED")
    order = await create_purchase(
        gql, vendor, [{"productId": desk, "quantity": "2", "priceUnit": "100.00"}]
    )
    line = order["lines"][0]["id"]
    billed = {
        "orderIds": [order["id"]],
        "lines": [{"lineId": line, "quantity": "2", "priceUnit": "110.00"}],
    }
    refused = await bill_purchases(gql, billed)
    assert [error["code"] for error in refused["errors"]] == ["PRICE_MISMATCH"]
    accepted = await bill_purchases(
        gql, {**billed, "overrideReason": "Steel surcharge, mail of 3 June"}
    )
    assert accepted["errors"] == [] and accepted["bill"]["amountTotal"]["amount"] == "220.00"
    trail = await gql(
        "query($id: ID!) { node(id: $id) { ... on Invoice { auditTrail { command input } } } }",
        {"id": accepted["bill"]["id"]},
    )
    [event] = trail["node"]["auditTrail"]
    assert event["command"] == "BillPurchaseOrders"
    assert "Steel surcharge" in str(event["input"])


async def test_vendor_prices_and_orders_read_from_products_and_partners(
    gql: GraphQLClient,
) -> None:
    vendor = await create_partner(gql, "Wood Corner", isVendor=True)
    bolt = await create_product(gql, "BOLT", "1.00", type="STORABLE")
    await vendor_price(gql, productId=bolt, partnerId=vendor, price="0.50", minQuantity="100")
    await vendor_price(gql, productId=bolt, partnerId=vendor, price="0.60")
    bad = await vendor_price(gql, productId=bolt, partnerId=vendor, price="-1")
    assert [error["code"] for error in bad["errors"]] == ["INVALID"]
    order = await create_purchase(
        gql, vendor, [{"productId": bolt, "quantity": "100"}], confirm=False
    )
    assert order["lines"][0]["priceUnit"]["amount"] == "0.50"
    data = await gql(
        """query($p: ID!, $v: ID!) {
            product: node(id: $p) { ... on Product { vendorPrices { price { amount } minQuantity } } }
            vendor: node(id: $v) { ... on Partner { purchaseOrders(filter: {state: [DRAFT]}) { totalCount edges { node { name } } } } }
            purchaseOrders(filter: {partnerId: $v}) { edges { node { name state } } }
            vendorPrices(filter: {productId: $p, validOn: "2026-06-15"}) { totalCount }
        }""",
        {"p": bolt, "v": vendor},
    )
    assert data["product"]["vendorPrices"] == [
        {"price": {"amount": "0.50"}, "minQuantity": "100"},
        {"price": {"amount": "0.60"}, "minQuantity": "0"},
    ]
    assert data["vendor"]["purchaseOrders"]["totalCount"] == 1
    assert data["purchaseOrders"]["edges"] == [{"node": {"name": "P00001", "state": "DRAFT"}}]
    assert data["vendorPrices"]["totalCount"] == 2
