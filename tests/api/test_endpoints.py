"""The HTTP surface: health, metrics, GraphiQL, node lookups and company scoping."""

from __future__ import annotations

import httpx

from tests.conftest import GraphQLClient
from tests.factories import create_partner, create_product


async def test_health_metrics_and_graphiql(http: httpx.AsyncClient) -> None:
    assert (await http.get("/healthz")).json() == {"status": "ok"}
    await http.post("/graphql", json={"query": "{ __typename }"})
    metrics = (await http.get("/metrics/")).text
    assert "erp_graphql_requests_total" in metrics
    page = await http.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()


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
