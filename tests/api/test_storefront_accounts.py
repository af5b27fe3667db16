"""Customer accounts: signing up links the customer of that e-mail, a customer token beside
the storefront token shows their own orders, deliveries and invoices, and nobody else's."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.test_identity import post
from tests.api.test_permission_matrix import codes
from tests.api.test_storefront_checkout import Shop, open_shop
from tests.conftest import GraphQLClient, bearer

SIGN_UP = """mutation($input: CustomerSignUpInput!) { customerSignUp(input: $input) {
    session { customerToken } errors { field code message } } }"""
SIGN_IN = """mutation($input: CustomerSignInInput!) { customerSignIn(input: $input) {
    session { customerToken } errors { field code message } } }"""
ME = """{ storefrontCustomer { name email
    orders { name state total { amount } }
    deliveries { state } invoices { number paymentState total { amount } amountDue { amount } } } }"""


async def as_customer(shop: Shop, query: str, customer: str, **variables: Any) -> dict[str, Any]:
    response = await post(
        shop.http, query, variables, **bearer(shop.token), **{"X-Customer-Token": customer}
    )
    return response.json()


async def sign_up(shop: Shop, email: str, name: str = "Ann Buyer") -> str:
    data = await shop(SIGN_UP, input={"email": email, "password": "long enough pass", "name": name})
    assert data["customerSignUp"]["errors"] == [], data
    return data["customerSignUp"]["session"]["customerToken"]


async def test_a_customer_sees_their_own_orders_deliveries_and_invoices(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    shop = await open_shop(gql, http)
    # A guest order first; the account opened later with that e-mail is the same customer.
    guest = await shop.checkout(await shop.ready_cart(shop.line("LAMP")))
    assert guest["errors"] == []
    ann = await sign_up(shop, "ANN@example.com")
    cart = await shop.ready_cart(shop.line("DESK"), email="ann@example.com")
    body = await as_customer(
        shop,
        """mutation($input: CheckoutInput!) { checkoutComplete(input: $input) {
        order { name } errors { code } } }""",
        ann,
        input={
            "token": cart["token"],
            "expectedTotal": cart["total"]["amount"],
            "paymentProvider": "manual",
        },
    )
    signed_in_order = body["data"]["checkoutComplete"]["order"]["name"]
    mine = (await as_customer(shop, ME, ann))["data"]["storefrontCustomer"]
    assert (mine["name"], mine["email"]) == ("Ann Buyer", "ann@example.com")
    assert [o["name"] for o in mine["orders"]] == [signed_in_order, guest["order"]["name"]]
    assert sorted(d["state"] for d in mine["deliveries"]) == ["ASSIGNED", "ASSIGNED"]
    assert [
        (i["paymentState"], i["total"]["amount"], i["amountDue"]["amount"])
        for i in mine["invoices"]
    ] == [("PAID", "25.00", "0.00")]

    bob = await sign_up(shop, "bob@example.com", "Bob")
    theirs = (await as_customer(shop, ME, bob))["data"]["storefrontCustomer"]
    assert (theirs["name"], theirs["orders"], theirs["deliveries"], theirs["invoices"]) == (
        "Bob",
        [],
        [],
        [],
    )


async def test_signing_in_and_out(gql: GraphQLClient, http: httpx.AsyncClient) -> None:
    shop = await open_shop(gql, http)
    await sign_up(shop, "ann@example.com")
    taken = await shop(
        SIGN_UP, input={"email": "ann@example.com", "password": "long enough pass", "name": "Ann"}
    )
    assert [e["code"] for e in taken["customerSignUp"]["errors"]] == ["UNIQUE"]
    short = await shop(
        SIGN_UP, input={"email": "cy@example.com", "password": "short", "name": "Cy"}
    )
    assert [e["field"] for e in short["customerSignUp"]["errors"]] == [["password"]]
    wrong = await shop(SIGN_IN, input={"email": "ann@example.com", "password": "not the password"})
    assert [e["code"] for e in wrong["customerSignIn"]["errors"]] == ["INVALID_CREDENTIALS"]
    signed = await shop(SIGN_IN, input={"email": "ann@example.com", "password": "long enough pass"})
    token = signed["customerSignIn"]["session"]["customerToken"]
    assert (await as_customer(shop, ME, token))["data"]["storefrontCustomer"][
        "email"
    ] == "ann@example.com"
    out = await as_customer(shop, "mutation { customerSignOut { ok errors { code } } }", token)
    assert out["data"]["customerSignOut"] == {"ok": True, "errors": []}
    response = await post(http, ME, **bearer(shop.token), **{"X-Customer-Token": token})
    assert response.status_code == 401


async def test_without_a_customer_token_the_account_is_forbidden(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    shop = await open_shop(gql, http)
    body = (await post(http, ME, **bearer(shop.token))).json()
    assert codes(body) == {"FORBIDDEN"} and body["data"] is None
    staff = await post(
        http, ME, **bearer(shop.token.replace("sfpk_", "x")), **{"X-Customer-Token": "x"}
    )
    assert staff.status_code == 401
