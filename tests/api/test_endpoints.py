"""The HTTP surface: liveness, readiness, metrics, GraphiQL, node lookups and company scoping."""

from __future__ import annotations

from pathlib import Path

import httpx

from api.app import create_app
from domain.core.db import create_engine
from domain.core.settings import Settings
from tests.conftest import GraphQLClient
from tests.factories import create_order, create_partner, create_product
from tests.processes import free_port


async def test_health_metrics_and_graphiql(http: httpx.AsyncClient) -> None:
    assert (await http.get("/healthz")).json() == {"status": "ok"}
    await http.post("/graphql", json={"query": "{ __typename }"})
    metrics = await http.get("/metrics")
    assert metrics.status_code == 200  # answered, not redirected to /metrics/
    assert "erp_graphql_requests_total" in metrics.text
    page = await http.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()


async def test_ready_at_the_head_migration(http: httpx.AsyncClient) -> None:
    assert (await http.get("/readyz")).json() == {"status": "ready"}


async def ready(url: str) -> httpx.Response:
    engine = create_engine(url)
    transport = httpx.ASGITransport(app=create_app(Settings(database_url=url), engine))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/readyz")
    finally:
        await engine.dispose()


async def test_not_ready_while_migrations_are_missing(tmp_path: Path) -> None:
    response = await ready(f"sqlite+aiosqlite:///{tmp_path / 'unmigrated.sqlite3'}")
    assert response.status_code == 503
    assert response.json()["reason"].startswith("the database's schema is at none, the code's at")


async def test_not_ready_without_the_database() -> None:
    response = await ready(f"postgresql+psycopg://erp@127.0.0.1:{free_port()}/erp")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "reason": "database unreachable"}


async def test_node_and_nodes_resolve_any_record(gql: GraphQLClient) -> None:
    partner = await create_partner(gql, "Azure Interior", email="a@azure.example")
    product = await create_product(gql, "DESK", "320.00")
    data = await gql(
        """query($ids: [ID!]!, $one: ID!) {
            node(id: $one) { id ... on Partner { name } }
            nodes(ids: $ids) { __typename ... on Product { sku salePrice { amount currency } } ... on Partner { email } }
        }""",
        {"one": partner, "ids": [product, partner]},
    )
    assert data["node"] == {"id": partner, "name": "Azure Interior"}
    assert data["nodes"] == [
        {
            "__typename": "Product",
            "sku": "DESK",
            "salePrice": {"amount": "320.00", "currency": "EUR"},
        },
        {"__typename": "Partner", "email": "a@azure.example"},
    ]


async def test_records_of_another_company_are_invisible(gql: GraphQLClient) -> None:
    ours = await create_partner(gql, "Ours")
    created = await gql(
        'mutation { companyCreate(input: {name: "Other Co", currency: "GBP"}) { company { id currency { code } } } }'
    )
    other = created["companyCreate"]["company"]
    assert other["currency"] == {"code": "GBP"}
    headers = {"X-Company-Id": other["id"]}
    theirs = await create_partner(gql, "Theirs", headers=headers)
    seen = await gql(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } partners { edges { node { name } } } }",
        {"ids": [ours, theirs]},
        headers=headers,
    )
    assert seen["nodes"] == [None, {"id": theirs}]
    assert seen["partners"]["edges"] == [{"node": {"name": "Theirs"}}]
    update = await gql(
        'mutation($id: ID!) { partnerUpdate(id: $id, input: {name: "Stolen"}) { partner { id } errors { code field } } }',
        {"id": ours},
        headers=headers,
    )
    assert update["partnerUpdate"] == {
        "partner": None,
        "errors": [{"code": "NOT_FOUND", "field": ["id"]}],
    }


async def test_company_create_refuses_unknown_currency(gql: GraphQLClient) -> None:
    data = await gql(
        'mutation { companyCreate(input: {name: "Nowhere", currency: "XYZ"}) { company { id } errors { code field message } } }'
    )
    assert data["companyCreate"]["errors"] == [
        {"code": "INVALID", "field": ["currency"], "message": "'XYZ' is not an ISO 4217 currency."}
    ]


async def test_order_lines_follow_their_order_company(gql: GraphQLClient) -> None:
    product = await create_product(gql, "DESK", "100.00")
    customer = await create_partner(gql, "Ours")
    order = await create_order(gql, customer, [{"productId": product, "quantity": "1"}])
    line = order["lines"][0]["id"]
    other = await gql(
        'mutation { companyCreate(input: {name: "Other Co", currency: "EUR"}) { company { id } } }'
    )
    headers = {"X-Company-Id": other["companyCreate"]["company"]["id"]}
    query = "query($id: ID!) { node(id: $id) { id ... on SaleOrderLine { name priceUnit { amount } } } }"
    assert (await gql(query, {"id": line}, headers=headers))["node"] is None
    assert (await gql(query, {"id": line}))["node"]["priceUnit"] == {"amount": "100.00"}


async def test_company_header_must_name_a_company(gql: GraphQLClient) -> None:
    partner = await create_partner(gql, "Ours")
    seen = await gql.raw("{ partners { totalCount } }", headers={"X-Company-Id": partner})
    assert seen["data"] is None
    assert seen["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert seen["errors"][0]["message"] == "X-Company-Id is not a company's ID."


async def test_each_mutation_of_a_request_sees_the_ones_before(gql: GraphQLClient) -> None:
    product = await create_product(gql, "PEN", "2.00")
    customer = await create_partner(gql, "Ours")
    order = await create_order(gql, customer, [{"productId": product, "quantity": "1"}])
    data = await gql(
        """mutation($id: ID!) {
            first: saleOrderLineUpdate(id: $id, input: {quantity: "2"}) { saleOrder { lines { quantity } amountTotal { amount } } }
            second: saleOrderLineUpdate(id: $id, input: {quantity: "7"}) { saleOrder { lines { quantity } amountTotal { amount } } }
        }""",
        {"id": order["lines"][0]["id"]},
    )
    # 2 × 2.00 = 4.00, then 7 × 2.00 = 14.00 (no taxes on the product).
    assert data["first"]["saleOrder"] == {
        "lines": [{"quantity": "2"}],
        "amountTotal": {"amount": "4.00"},
    }
    assert data["second"]["saleOrder"] == {
        "lines": [{"quantity": "7"}],
        "amountTotal": {"amount": "14.00"},
    }
