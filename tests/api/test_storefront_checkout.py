"""Carts and checkout over HTTP with a storefront token: lines, addresses, delivery and
coupons priced as the sales order will be; a checkout is an ordinary confirmed, reserved
sales order, paid through the provider; retries, price changes, declined cards and the last
units sold to concurrent buyers are handled before anything is charged."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlalchemy import func, select

from domain.partners.models import Partner
from domain.sales.models import SaleOrder
from tests.api.test_identity import post
from tests.conftest import Db, GraphQLClient, bearer, postgres_only
from tests.factories import create_product, create_tax
from tests.inventory_factories import receive
from tests.storefront_factories import (
    CART_FIELDS,
    create_channel,
    create_pricelist,
    delivery_method,
    storefront_token,
)

ADDRESS = {
    "name": "Ann Buyer",
    "street": "Main street 1",
    "city": "Ghent",
    "zip": "9000",
    "countryCode": "be",
}
CREATE = f"""mutation($input: CartCreateInput!) {{ cartCreate(input: $input) {{
    cart {{ {CART_FIELDS} }} errors {{ field code message }} }} }}"""
UPDATE = f"""mutation($token: String!, $input: CartInput!) {{ cartUpdate(token: $token, input: $input) {{
    cart {{ {CART_FIELDS} }} errors {{ field code message }} }} }}"""
ADD = f"""mutation($token: String!, $lines: [CartLineInput!]!) {{ cartLinesAdd(token: $token, lines: $lines) {{
    cart {{ {CART_FIELDS} }} errors {{ field code message }} }} }}"""
SET = f"""mutation($token: String!, $input: CartLineInput!) {{ cartLineUpdate(token: $token, input: $input) {{
    cart {{ {CART_FIELDS} }} errors {{ field code message }} }} }}"""
CHECKOUT = """mutation($input: CheckoutInput!) { checkoutComplete(input: $input) {
    order { name state deliveryStatus total { amount currency } } errors { field code message } } }"""


class Shop:
    """A storefront: its token, its products' IDs and the back office's client."""

    def __init__(
        self, http: httpx.AsyncClient, token: str, products: dict[str, str], gql: GraphQLClient
    ) -> None:
        self.http = http
        self.token = token
        self.products = products
        self.gql = gql
        self.method = ""

    async def __call__(self, query: str, **variables: Any) -> dict[str, Any]:
        body = (await post(self.http, query, variables, **bearer(self.token))).json()
        assert not body.get("errors"), body
        return body["data"]

    def line(self, sku: str, quantity: str = "1") -> dict[str, str]:
        return {"productId": self.products[sku], "quantity": quantity}

    async def ready_cart(
        self, *lines: dict[str, str], email: str = "ann@example.com", **extra: Any
    ) -> dict[str, Any]:
        data = await self(
            CREATE,
            input={
                "lines": list(lines),
                "email": email,
                "shipping": ADDRESS,
                "deliveryMethodId": self.method,
                **extra,
            },
        )
        assert data["cartCreate"]["errors"] == [], data
        return data["cartCreate"]["cart"]

    async def checkout(self, cart: dict[str, Any], **extra: Any) -> dict[str, Any]:
        data = await self(
            CHECKOUT,
            input={
                "token": cart["token"],
                "expectedTotal": cart["total"]["amount"],
                "paymentProvider": "test",
                "cardNumber": "4242 4242 4242 4242",
                **extra,
            },
        )
        return data["checkoutComplete"]


async def open_shop(gql: GraphQLClient, http: httpx.AsyncClient, desks: str = "3") -> Shop:
    """Desks (storable, 90.00 by pricelist, 21 % VAT, `desks` in stock), chairs (50.00 less
    10 % by pricelist), lamps (20.00, untaxed), a hidden product; delivery 5.00, free from
    200.00; a coupon SAVE10 of 10 %, once."""
    vat = await create_tax(gql, "VAT 21%", "21")
    products = {
        "DESK": await create_product(
            gql, "DESK", "100.00", type="STORABLE", published=True, saleTaxIds=[vat]
        ),
        "CHAIR": await create_product(gql, "CHAIR", "50.00", published=True, saleTaxIds=[vat]),
        "LAMP": await create_product(gql, "LAMP", "20.00", published=True),
        "HIDDEN": await create_product(gql, "HIDDEN", "1.00"),
    }
    await receive(gql, products["DESK"], desks)
    pricelist = await create_pricelist(
        gql,
        "Web",
        [
            {"productId": products["DESK"], "fixedPrice": "90.00"},
            {"productId": products["CHAIR"], "percent": "10"},
        ],
    )
    channel = await create_channel(gql, "WEB", pricelistId=pricelist)
    method = await delivery_method(gql, channel, name="Parcel", price="5.00", freeOver="200.00")
    coupon = await gql(
        'mutation($c: ID!) { couponCreate(input: {channelId: $c, code: "save10", kind: PERCENTAGE, value: "10", usageLimit: 1}) { errors { code message } } }',
        {"c": channel},
    )
    assert coupon["couponCreate"]["errors"] == []
    shop = Shop(http, await storefront_token(gql, channel), {}, gql)
    catalog = await shop("{ storefrontProducts { edges { node { id sku } } } }")
    shop.products = {
        edge["node"]["sku"]: edge["node"]["id"] for edge in catalog["storefrontProducts"]["edges"]
    }
    shop.method = method
    return shop


def amounts(cart: dict[str, Any]) -> tuple[str, str, str, str | None]:
    return (
        cart["subtotal"]["amount"],
        cart["tax"]["amount"],
        cart["total"]["amount"],
        (cart["deliveryPrice"] or {}).get("amount"),
    )


async def test_a_cart_is_priced_as_the_channel_sells(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    shop = await open_shop(gql, http)
    created = await shop(CREATE, input={"lines": [shop.line("DESK", "2"), shop.line("CHAIR")]})
    cart = created["cartCreate"]["cart"]
    assert [
        (i["product"]["sku"], i["quantity"], i["unitPrice"]["amount"], i["total"]["amount"])
        for i in cart["items"]
    ] == [
        ("DESK", "2", "108.90", "217.80"),
        ("CHAIR", "1", "54.45", "54.45"),
    ]
    assert amounts(cart) == ("225.00", "47.25", "272.25", None)
    # The coupon takes 10 % off each line; the goods (245.03) ship free from 200.00.
    updated = await shop(
        UPDATE,
        token=cart["token"],
        input={
            "couponCode": "SAVE10",
            "deliveryMethodId": shop.method,
            "email": "Ann@Example.com",
            "shipping": ADDRESS,
        },
    )
    cart = updated["cartUpdate"]["cart"]
    assert (cart["couponCode"], cart["discountPercent"], cart["email"]) == (
        "SAVE10",
        "10",
        "ann@example.com",
    )
    assert amounts(cart) == ("202.50", "42.53", "245.03", "0.00")
    # Down to one desk: 98.01 + 49.01 of goods, under 200, so the parcel costs 5.00.
    cart = (await shop(SET, token=cart["token"], input=shop.line("DESK", "1")))["cartLineUpdate"][
        "cart"
    ]
    assert amounts(cart) == ("126.50", "25.52", "152.02", "5.00")
    cart = (await shop(ADD, token=cart["token"], lines=[shop.line("DESK", "1")]))["cartLinesAdd"][
        "cart"
    ]
    assert [i["quantity"] for i in cart["items"]] == ["2", "1"]
    cart = (await shop(SET, token=cart["token"], input=shop.line("CHAIR", "0")))["cartLineUpdate"][
        "cart"
    ]
    assert [i["product"]["sku"] for i in cart["items"]] == ["DESK"]
    again = await shop(
        f"query($t: String!) {{ storefrontCart(token: $t) {{ {CART_FIELDS} }} }}", t=cart["token"]
    )
    assert again["storefrontCart"] == cart


async def test_bad_cart_input_gets_typed_errors_and_changes_nothing(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    shop = await open_shop(gql, http)
    cart = (await shop(CREATE, input={"lines": [shop.line("LAMP")]}))["cartCreate"]["cart"]
    attempts = [
        (ADD, {"lines": [shop.line("LAMP", "100")]}, "QUANTITY_LIMIT"),
        (ADD, {"lines": [shop.line("LAMP", "1.5")]}, "INVALID"),
        (
            ADD,
            {"lines": [{"productId": "U3RvcmVmcm9udFByb2R1Y3Q6OTk5", "quantity": "1"}]},
            "PRODUCT_UNAVAILABLE",
        ),
        (ADD, {"lines": [{"productId": "garbage", "quantity": "1"}]}, "NOT_FOUND"),
        (UPDATE, {"input": {"couponCode": "NOPE"}}, "COUPON_INVALID"),
        (UPDATE, {"input": {"email": "not an address"}}, "INVALID"),
        (UPDATE, {"input": {"shipping": {**ADDRESS, "countryCode": "Belgium"}}}, "INVALID"),
    ]
    for query, variables, code in attempts:
        data = await shop(query, token=cart["token"], **variables)
        payload = next(iter(data.values()))
        assert [error["code"] for error in payload["errors"]] == [code], (variables, payload)
        assert payload["cart"] is None
    unknown = await shop(ADD, token="no-such-cart", lines=[shop.line("LAMP")])
    assert [e["code"] for e in unknown["cartLinesAdd"]["errors"]] == ["NOT_FOUND"]
    after = await shop(
        f"query($t: String!) {{ storefrontCart(token: $t) {{ {CART_FIELDS} }} }}", t=cart["token"]
    )
    assert after["storefrontCart"] == cart
    # Quantities of a product add up, and the sum is capped too.
    many = await shop(CREATE, input={"lines": [shop.line("LAMP", "60"), shop.line("LAMP", "60")]})
    assert [(e["code"], e["field"]) for e in many["cartCreate"]["errors"]] == [
        ("QUANTITY_LIMIT", ["lines", "1", "quantity"])
    ]


async def test_a_paid_checkout_is_an_order_reserved_invoiced_and_paid(
    gql: GraphQLClient, http: httpx.AsyncClient, db: Db
) -> None:
    shop = await open_shop(gql, http)
    cart = await shop.ready_cart(shop.line("DESK", "2"), shop.line("LAMP"))
    assert amounts(cart) == ("200.00", "37.80", "237.80", "0.00")
    done = await shop.checkout(cart)
    assert done["errors"] == []
    order = done["order"]
    assert (order["state"], order["total"]) == ("SALE", {"amount": "237.80", "currency": "EUR"})
    back = await gql(
        """query($n: String!) { saleOrders(filter: {search: $n}) { edges { node { name state
            partner { name email } partnerShipping { name city countryCode }
            deliveries { state } invoices { state paymentState amountTotal { amount } } } } } }""",
        {"n": order["name"]},
    )
    node = back["saleOrders"]["edges"][0]["node"]
    assert node["partner"] == {"name": "Ann Buyer", "email": "ann@example.com"}
    assert node["partnerShipping"] == {"name": "Ann Buyer", "city": "Ghent", "countryCode": "BE"}
    assert [d["state"] for d in node["deliveries"]] == ["ASSIGNED"]
    assert [
        (i["state"], i["paymentState"], i["amountTotal"]["amount"]) for i in node["invoices"]
    ] == [("POSTED", "PAID", "237.80")]
    closed = await shop(
        "query($t: String!) { storefrontCart(token: $t) { state order { name } } }",
        t=cart["token"],
    )
    assert closed["storefrontCart"] == {"state": "ORDERED", "order": {"name": order["name"]}}
    again = await shop.checkout(cart)
    assert [e["code"] for e in again["errors"]] == ["CART_CLOSED"]
    # The same buyer again is the same customer.
    second = await shop.checkout(await shop.ready_cart(shop.line("LAMP")), paymentProvider="manual")
    assert second["errors"] == [] and second["order"]["state"] == "SALE"
    assert (
        await db.scalar(
            select(func.count()).select_from(Partner).where(Partner.email == "ann@example.com")
        )
        == 1
    )


async def test_a_retried_checkout_with_its_key_returns_the_same_order(
    gql: GraphQLClient, http: httpx.AsyncClient, db: Db
) -> None:
    shop = await open_shop(gql, http)
    cart = await shop.ready_cart(shop.line("LAMP"))
    first = await shop.checkout(cart, idempotencyKey="pay-1")
    retried = await shop.checkout(cart, idempotencyKey="pay-1")
    assert first["errors"] == [] and retried == first
    assert await db.scalar(select(func.count()).select_from(SaleOrder)) == 1


async def test_a_changed_price_or_a_declined_card_orders_and_charges_nothing(
    gql: GraphQLClient, http: httpx.AsyncClient, db: Db
) -> None:
    shop = await open_shop(gql, http)
    cart = await shop.ready_cart(shop.line("LAMP", "2"))
    assert cart["total"]["amount"] == "45.00"
    lamp = (await gql('{ productBySku(sku: "LAMP") { id } }'))["productBySku"]["id"]
    await gql(
        'mutation($id: ID!) { productUpdate(id: $id, input: {salePrice: "22.00"}) { errors { code } } }',
        {"id": lamp},
    )
    changed = await shop.checkout(cart)
    assert [(e["code"], e["field"]) for e in changed["errors"]] == [
        ("PRICE_CHANGED", ["expectedTotal"])
    ]
    declined = await shop.checkout(cart, expectedTotal="49.00", cardNumber="4000 0000 0000 0002")
    assert [e["code"] for e in declined["errors"]] == ["PAYMENT_DECLINED"]
    unknown = await shop.checkout(cart, expectedTotal="49.00", paymentProvider="cash")
    assert [e["code"] for e in unknown["errors"]] == ["INVALID"]
    assert await db.scalar(select(func.count()).select_from(SaleOrder)) == 0
    assert (await shop.checkout(cart, expectedTotal="49.00"))["errors"] == []


async def test_a_checkout_needs_an_email_an_address_and_a_delivery(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    shop = await open_shop(gql, http)
    cart = (await shop(CREATE, input={"lines": [shop.line("DESK")]}))["cartCreate"]["cart"]
    refused = await shop.checkout(cart)
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [("REQUIRED", ["email"])]


@postgres_only
async def test_ten_buyers_of_the_last_three_desks_make_three_orders(
    gql: GraphQLClient, http: httpx.AsyncClient, db: Db
) -> None:
    shop = await open_shop(gql, http, desks="3")
    carts = [
        await shop.ready_cart(shop.line("DESK"), email=f"buyer{n}@example.com") for n in range(10)
    ]
    results = await asyncio.gather(*(shop.checkout(cart) for cart in carts))
    codes = sorted(tuple(e["code"] for e in result["errors"]) for result in results)
    assert codes == [(), (), ()] + [("INSUFFICIENT_STOCK",)] * 7
    assert await db.scalar(select(func.count()).select_from(SaleOrder)) == 3
    states = []
    for cart in carts:
        data = await shop(
            "query($t: String!) { storefrontCart(token: $t) { state items { quantity } } }",
            t=cart["token"],
        )
        states.append(data["storefrontCart"]["state"])
    assert sorted(states) == ["OPEN"] * 7 + ["ORDERED"] * 3
    available = await shop('{ storefrontProduct(sku: "DESK") { inStock availableQuantity } }')
    assert available["storefrontProduct"] == {"inStock": False, "availableQuantity": "0"}
