"""Company isolation, generated over every node type and every root field of the live schema.

Company B gets a record of every node type (a test fails naming any type the seed misses, so
a new type must be seeded here). Then an administrator of company A, who is not a member of
B, must not read, list, count or change any of it: every root query answers the same before
and after B exists, `node`/`nodes` find none of B's records, and every mutation given B's IDs
is refused without running a command.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx
from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_leaf_type,
)
from sqlalchemy import func, select
from strawberry import relay

from api.nodes import ModelNode
from domain.core.actors import Actor
from domain.core.db import CompanyOwned, OwnedThrough
from domain.core.job_runs import run_job
from domain.core.models import Company
from domain.governance.models import AuditEvent, Membership, User
from domain.purchasing.commands import Replenish
from tests.api.schema_walk import live_schema, root_calls
from tests.api.test_identity import post
from tests.conftest import Db, GraphQLClient, bearer, signed_in
from tests.factories import (
    bank_journal,
    bill_purchases,
    create_order,
    create_partner,
    create_product,
    create_purchase,
    pay_invoices,
)
from tests.inventory_factories import location_id, order_deliveries, picking_mutation, receive
from tests.storefront_factories import (
    create_channel,
    create_pricelist,
    delivery_method,
    storefront_token,
)

SCHEMA = live_schema()
#: Reference data every company shares: not any company's records.
SHARED = frozenset({"Currency", "Uom", "UomCategory", "Role"})
#: How deep the snapshot of a root field reads (connections count two levels).
DEPTH = 4


class InCompany(GraphQLClient):
    """The superuser's client, working in one company."""

    def __init__(self, gql: GraphQLClient, company_id: str) -> None:
        super().__init__(gql.http)
        self.company = {"x-company-id": company_id}

    async def raw(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        return await super().raw(query, variables, {**self.company, **(headers or {})})


async def seed(gql: GraphQLClient, tag: str) -> None:
    """One of every kind of record, through the API: partners, products, lots, stock, an
    order delivered, invoiced and paid, a vendor price, a purchase received and billed, a
    reorder rule, a pricelist, a storefront channel with its token, delivery method, coupon,
    a cart and an enquiry, a bank statement, a rate, a key and a user."""
    customer = await create_partner(gql, f"Customer {tag}", email=f"buyer@{tag}.example")
    await create_partner(gql, f"Dock {tag}", parentId=customer, addressType="DELIVERY")
    category = await gql(
        'mutation { productCategoryCreate(input: {name: "Furniture"}) { category { id } } }'
    )
    tax = await gql('mutation { taxCreate(input: {name: "VAT 21%", amount: "21"}) { tax { id } } }')
    desk = await create_product(
        gql,
        f"DESK-{tag}",
        "100.00",
        type="STORABLE",
        tracking="LOT",
        categoryId=category["productCategoryCreate"]["category"]["id"],
        saleTaxIds=[tax["taxCreate"]["tax"]["id"]],
        published=True,
    )
    await receive(gql, desk, "5", lots=[{"lotName": f"LOT-{tag}", "quantity": "5"}])
    pricelist = await create_pricelist(gql, "Web", [{"productId": desk, "percent": "5"}])
    warehouses = await gql("{ warehouses { edges { node { id } } } }")
    channel = await create_channel(
        gql,
        "WEB",
        pricelistId=pricelist,
        warehouseIds=[edge["node"]["id"] for edge in warehouses["warehouses"]["edges"]],
    )
    visitor = bearer(await storefront_token(gql, channel))
    await delivery_method(gql, channel, name="Parcel", price="5.00")
    await gql(
        'mutation($c: ID!) { couponCreate(input: {channelId: $c, code: "WELCOME", kind: FIXED, value: "5"}) { errors { code } } }',
        {"c": channel},
    )
    catalog = await gql("{ storefrontProducts { edges { node { id } } } }", headers=visitor)
    cart = await gql(
        "mutation($p: ID!) { cartCreate(input: {lines: [{productId: $p}]}) { cart { token } errors { code } } }",
        {"p": catalog["storefrontProducts"]["edges"][0]["node"]["id"]},
        headers=visitor,
    )
    assert cart["cartCreate"]["errors"] == [], cart
    enquiry = await gql(
        'mutation { contactFormSubmit(input: {name: "Ann", email: "ann@x.example", subject: "Hi", message: "Hello"}) { errors { code } } }',
        headers=visitor,
    )
    assert enquiry["contactFormSubmit"]["errors"] == [], enquiry
    await gql(
        'mutation { currencyRateSet(input: {currency: "USD", date: "2026-01-01", rate: "0.9"}) { errors { code } } }'
    )
    await gql(
        'mutation($p: ID!) { locationCreate(input: {name: "Shelf", parentId: $p}) { errors { code message } } }',
        {"p": await location_id(gql, "WH/Stock")},
    )
    order = await create_order(gql, customer, [{"productId": desk, "quantity": "2"}])
    await gql(
        "mutation($id: ID!) { saleOrderConfirm(id: $id) { errors { code } } }", {"id": order["id"]}
    )
    delivery = (await order_deliveries(gql, order["id"]))["deliveries"][0]
    done = await picking_mutation(
        gql,
        "pickingValidate",
        delivery["id"],
        {
            "moves": [
                {
                    "moveId": delivery["moves"][0]["id"],
                    "lots": [{"lotName": f"LOT-{tag}", "quantity": "2"}],
                }
            ]
        },
    )
    assert done["errors"] == [], done
    invoice = await gql(
        "mutation($o: [ID!]!) { invoiceCreateFromOrders(input: {orderIds: $o}) { invoice { id } errors { code } } }",
        {"o": [order["id"]]},
    )
    invoice_id = invoice["invoiceCreateFromOrders"]["invoice"]["id"]
    await gql("mutation($id: ID!) { invoicePost(id: $id) { errors { code } } }", {"id": invoice_id})
    assert await pay_invoices(gql, customer, "242.00", [invoice_id], "2026-03-01") == []
    await gql(
        "mutation($j: ID!, $csv: String!) { bankStatementImport(input: {journalId: $j, csv: $csv}) { errors { code message } } }",
        {"j": await bank_journal(gql), "csv": "date,amount,label\n2026-03-05,10.00,Interest"},
    )
    vendor = await create_partner(gql, f"Vendor {tag}", isVendor=True)
    price = await gql(
        'mutation($p: ID!, $v: ID!) { vendorPriceCreate(input: {productId: $p, partnerId: $v, price: "40"}) { errors { code } } }',
        {"p": desk, "v": vendor},
    )
    assert price["vendorPriceCreate"]["errors"] == [], price
    purchase = await create_purchase(gql, vendor, [{"productId": desk, "quantity": "1"}])
    [receipt] = purchase["receipts"]
    received = await picking_mutation(
        gql,
        "pickingValidate",
        receipt["id"],
        {
            "moves": [
                {
                    "moveId": receipt["moves"][0]["id"],
                    "lots": [{"lotName": f"LOT-{tag}", "quantity": "1"}],
                }
            ]
        },
    )
    assert received["errors"] == [], received
    billed = await bill_purchases(gql, {"orderIds": [purchase["id"]]})
    assert billed["errors"] == [], billed
    warehouses = await gql("{ warehouses { edges { node { id } } } }")
    rule = await gql(
        'mutation($p: ID!, $w: ID!) { reorderRuleCreate(input: {productId: $p, warehouseId: $w, minQuantity: "1", maxQuantity: "2"}) { errors { code } } }',
        {"p": desk, "w": warehouses["warehouses"]["edges"][0]["node"]["id"]},
    )
    assert rule["reorderRuleCreate"]["errors"] == [], rule
    await gql(
        'mutation { apiKeyCreate(input: {name: "Sync", permissions: ["sales.read"]}) { errors { code } } }'
    )
    roles = await gql("{ roles { edges { node { id name } } } }")
    sales = next(
        e["node"]["id"] for e in roles["roles"]["edges"] if e["node"]["name"] == "salesperson"
    )
    created = await gql(
        'mutation($r: [ID!]!, $e: String!) { userCreate(input: {email: $e, name: "Staff", password: "long enough pass", roleIds: $r}) { errors { code message } } }',
        {"r": [sales], "e": f"staff@{tag}.example"},
    )
    assert created["userCreate"]["errors"] == [], created


def node_types(schema: GraphQLSchema) -> dict[str, type[ModelNode]]:
    """Every record type of the schema, by name, with its strawberry class."""
    found = {}
    for name, graphql_type in schema.type_map.items():
        if isinstance(graphql_type, GraphQLObjectType) and any(
            interface.name == "Node" for interface in graphql_type.interfaces
        ):
            origin = graphql_type.extensions["strawberry-definition"].origin
            found[name] = origin
    return found


async def records_of(db: Db, company_id: int) -> dict[str, list[int]]:
    """The IDs of every record type's rows that belong to `company_id`."""
    result: dict[str, list[int]] = {}
    for name, node in node_types(SCHEMA).items():
        if name in SHARED:
            continue
        model: Any = node.model
        query = select(model.id)
        if issubclass(model, CompanyOwned):
            query = query.where(model.company_id == company_id)
        elif issubclass(model, OwnedThrough):
            column, owner = model.owner
            query = query.join(owner, owner.id == getattr(model, column)).where(
                owner.company_id == company_id
            )
        elif model is Company:
            query = query.where(Company.id == company_id)
        elif model is User:
            query = query.join(Membership, Membership.user_id == User.id).where(
                Membership.company_id == company_id
            )
        elif model is AuditEvent:
            query = query.where(AuditEvent.company_id == company_id)
        else:
            raise AssertionError(f"{name}: say whose records these are")
        async with db.sessions() as session:
            result[name] = list(await session.scalars(query))
    return result


def selection(graphql_type: Any, depth: int) -> str:
    """Every field readable without arguments, `depth` levels down."""
    named = get_named_type(graphql_type)
    if is_leaf_type(named):
        return ""
    if depth == 0 or not isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        return "{ __typename }"
    parts = ["__typename"]
    for name, field in named.fields.items():
        if _needs_arguments(field) or name == "auditTrail":
            continue
        inner = selection(field.type, depth - 1)
        parts.append(f"{name} {inner}".strip())
    return "{ " + " ".join(parts) + " }"


def _needs_arguments(field: GraphQLField) -> bool:
    return any(isinstance(arg.type, GraphQLNonNull) for arg in field.args.values())


async def snapshot(http: httpx.AsyncClient, token: str) -> dict[str, Any]:
    """What company A's administrator reads through every root query, deeply."""
    assert SCHEMA.query_type is not None
    answers = {}
    for call in root_calls(SCHEMA):
        if call.operation != "query" or call.name in ("node", "nodes"):
            continue
        field = SCHEMA.query_type.fields[call.name]
        document = call.document.replace("{ __typename }", selection(field.type, DEPTH))
        body = (await post(http, document, **bearer(token))).json()
        answers[call.name] = body
    return answers


def _global_ids(records: dict[str, list[int]]) -> Iterable[tuple[str, str]]:
    for name, ids in records.items():
        for record_id in ids:
            yield name, str(relay.GlobalID(name, str(record_id)))


async def test_a_company_sees_and_changes_nothing_of_another(
    db: Db, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    await seed(gql, "a")
    admin_a = await db.run(
        lambda uow: signed_in(uow, "admin@a.example", roles={db.company_id: ["admin"]})
    )
    created = await gql(
        'mutation { companyCreate(input: {name: "Company B", currency: "EUR"}) { company { id } } }'
    )
    company_b = created["companyCreate"]["company"]["id"]
    before = await snapshot(http, admin_a)
    await seed(InCompany(gql, company_b), "b")
    b_id = int(relay.GlobalID.from_id(company_b).node_id)
    # Job runs come from workers, not from mutations: B's scan runs as one.
    await run_job(
        db.sessions,
        job="replenish",
        key="isolation:b",
        command=Replenish(company_id=b_id),
        actor=Actor.job("replenish"),
    )
    records = await records_of(db, b_id)
    assert [name for name, ids in records.items() if not ids] == [], "seed every type in B"

    # Lists, counts, reports and the company's own settings read the same as before B.
    after = await snapshot(http, admin_a)
    assert {name: answer for name, answer in after.items() if answer != before[name]} == {}

    # None of B's records is found by its ID.
    wrong = []
    for name, global_id in _global_ids(records):
        body = (
            await post(
                http,
                "query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }",
                {"id": global_id},
                **bearer(admin_a),
            )
        ).json()
        if (body.get("data") or {}).get("node") or any((body.get("data") or {}).get("nodes") or []):
            wrong.append(f"{name} {global_id}: {body}")
    assert wrong == []

    # B's IDs given to A's mutations: refused, and no command ran anywhere. Each ID argument
    # gets B's record of the type its name says (`partnerId`: a Partner; the `id` of
    # `pickingValidate`: a Picking), or, when the name says none, every type in turn.
    events = await db.scalar(select(func.count()).select_from(AuditEvent))
    firsts = dict(reversed(list(_global_ids(records))))
    sent: set[str] = set()
    assert SCHEMA.mutation_type is not None
    for mutation in SCHEMA.mutation_type.fields:
        named = _type_named(mutation, prefix=True)
        for global_id in [firsts[named]] if named else firsts.values():

            def id_for(argument: str, default: str = global_id) -> str:
                return default if argument == "id" else firsts.get(_type_named(argument), default)

            call = next(
                call
                for call in root_calls(SCHEMA, id_for)
                if call.operation == "mutation" and call.name == mutation
            )
            if global_id in call.document and call.document not in sent:
                sent.add(call.document)
                await post(http, call.document, **bearer(admin_a))
    assert len(sent) > 60
    assert await db.scalar(select(func.count()).select_from(AuditEvent)) == events


def _type_named(name: str, *, prefix: bool = False) -> str:
    """The record type an ID argument names (`partnerId` → Partner, `orderIds` → SaleOrder,
    `destinationLocationId` → Location), or with `prefix` the type a mutation acts on
    (`saleOrderLineUpdate` → SaleOrderLine, `entryPost` → JournalEntry); "" for none."""
    types = [node for node in node_types(SCHEMA) if node not in SHARED]
    if prefix:
        starts = [node for node in types if name.lower().startswith(node.lower())]
        if starts:
            return max(starts, key=len)
        word = next((i for i, char in enumerate(name) if char.isupper()), len(name))
        name = name[:word]
    stem = name.removesuffix("s").removesuffix("Id").lower()
    matches = [node for node in types if stem.endswith(node.lower()) or node.lower().endswith(stem)]
    return max(matches, key=len) if matches else ""
