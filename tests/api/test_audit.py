"""The audit trail over HTTP: who did what to which record, with before and after."""

from __future__ import annotations

import httpx

from tests.api.test_identity import post
from tests.conftest import Db, GraphQLClient, bearer, signed_in
from tests.factories import create_partner, create_product

TRAIL = """query($id: ID!) { node(id: $id) { ... on Record { auditTrail {
  command actorName actorKind requestId changes { recordType action changes { field before after } } } } } }"""


async def test_a_flows_trail_names_the_actor_and_a_changed_price(
    db: Db, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    customer = await create_partner(gql, "Azure Interior")
    desk = await create_product(gql, "DESK", "10.00")
    sam = await db.run(
        lambda uow: signed_in(uow, "sam@example.com", roles={db.company_id: ["salesperson"]})
    )
    mia = await db.run(
        lambda uow: signed_in(uow, "mia@example.com", roles={db.company_id: ["sales manager"]})
    )
    created = (
        await post(
            http,
            """mutation($p: ID!, $d: ID!) { saleOrderCreate(input: {partnerId: $p, lines: [{productId: $d, quantity: "2"}]}) {
                saleOrder { id lines { id } } errors { code } } }""",
            {"p": customer, "d": desk},
            **bearer(sam),
        )
    ).json()["data"]["saleOrderCreate"]["saleOrder"]
    line = created["lines"][0]["id"]
    changed = await post(
        http,
        """mutation($id: ID!) { saleOrderLineUpdate(id: $id, input: {priceUnit: "12.50"}) {
            saleOrder { amountUntaxed { amount } } errors { code } } }""",
        {"id": line},
        **bearer(mia),
        **{"x-request-id": "req-42"},
    )
    assert changed.json()["data"]["saleOrderLineUpdate"]["saleOrder"] == {
        "amountUntaxed": {"amount": "25.00"}
    }
    confirmed = await post(
        http,
        "mutation($id: ID!) { saleOrderConfirm(id: $id) { errors { code } } }",
        {"id": created["id"]},
        **bearer(mia),
    )
    assert confirmed.json()["data"]["saleOrderConfirm"]["errors"] == []
    # A salesperson may not read the audit trail.
    refused = (await post(http, TRAIL, {"id": line}, **bearer(sam))).json()
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    trail = (await gql(TRAIL, {"id": line}))["node"]["auditTrail"]
    assert [(event["command"], event["actorName"]) for event in trail] == [
        ("ConfirmSaleOrder", "mia"),
        ("UpdateSaleOrderLine", "mia"),
        ("CreateSaleOrder", "sam"),
    ]
    update = trail[1]
    assert update["requestId"] == "req-42"
    line_change = next(c for c in update["changes"] if c["recordType"] == "SaleOrderLine")
    fields = {
        change["field"]: (change["before"], change["after"]) for change in line_change["changes"]
    }
    # 2 × 10.00 = 20.00 became 2 × 12.50 = 25.00.
    assert fields["price_unit"] == ("10", "12.5")
    assert fields["price_subtotal"] == ("20", "25")
    order_trail = (await gql(TRAIL, {"id": created["id"]}))["node"]["auditTrail"]
    assert [event["command"] for event in order_trail] == [
        "ConfirmSaleOrder",
        "UpdateSaleOrderLine",
        "CreateSaleOrder",
    ]
    confirm = next(c for c in order_trail[0]["changes"] if c["recordType"] == "SaleOrder")
    assert {"field": "state", "before": "draft", "after": "sale"} in confirm["changes"]

    listed = await gql(
        """query($id: ID!) { auditEvents(filter: {command: ["ConfirmSaleOrder"], record: $id}) {
            totalCount edges { node { actorName actorKind input } } } }""",
        {"id": created["id"]},
    )
    node = listed["auditEvents"]["edges"][0]["node"]
    assert listed["auditEvents"]["totalCount"] == 1
    assert (node["actorName"], node["actorKind"]) == ("mia", "USER")


async def test_secrets_never_reach_the_audit_trail(gql: GraphQLClient) -> None:
    created = await gql(
        """mutation { userCreate(input: {email: "new@example.com", name: "New", password: "a very secret one"}) {
            user { id } errors { code } } }"""
    )
    assert created["userCreate"]["errors"] == []
    events = await gql(
        '{ auditEvents(filter: {command: ["CreateUser"]}) { edges { node { input changes { changes { field after } } } } } }'
    )
    node = events["auditEvents"]["edges"][0]["node"]
    assert "a very secret one" not in node["input"] and '"password": "***"' in node["input"]
    fields = {change["field"] for record in node["changes"] for change in record["changes"]}
    assert "email" in fields and "password_hash" not in fields
