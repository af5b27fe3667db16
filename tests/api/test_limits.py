"""Depth and cost limits refuse abusive queries with errors that say why."""

from __future__ import annotations

from tests.conftest import GraphQLClient


async def test_cost_counts_nested_page_sizes(gql: GraphQLClient) -> None:
    # Each field costs the product of the page sizes above it, a plain list counting as 3:
    # partners 1; under its 10: edges, node, name, orders = 4 × 10; under 10 × 100: edges,
    # node, name, lines = 4 × 1,000; under 1,000 × 3 lines: product, sku = 2 × 3,000.
    # Total 1 + 40 + 4,000 + 6,000 = 10,041.
    body = await gql.raw(
        "{ partners(first: 10) { edges { node { name orders(first: 100) { edges { node {"
        " name lines { product { sku } } } } } } } } }"
    )
    assert "errors" not in body
    assert body["extensions"]["cost"] == {"requested": 10_041, "limit": 50_000}


async def test_too_costly_query_is_refused_before_running(gql: GraphQLClient) -> None:
    # With $n = 100: 1 + 4 × 100 + 4 × 10,000 (edges, node, name, lines) + 5 × 30,000
    # (name, quantity, product, sku, name under 3 lines each) = 190,401.
    body = await gql.raw(
        "query($n: Int) { partners(first: $n) { edges { node { name orders(first: $n) {"
        " edges { node { name lines { name quantity product { sku name } } } } } } } } }",
        {"n": 100},
    )
    [error] = body["errors"]
    assert body["data"] is None
    assert error["extensions"] == {"code": "QUERY_TOO_COSTLY", "cost": 190_401, "limit": 50_000}
    assert error["message"].startswith("The query costs 190401, over the limit of 50000")


async def test_depth_limit(gql: GraphQLClient) -> None:
    # partners › edges › node › 10 × parent › name: 14 levels, over the limit of 12.
    deep = "{ partners { edges { node { " + "parent { " * 10 + "name" + " }" * 10 + " } } } }"
    body = await gql.raw(deep)
    assert body["errors"][0]["message"] == "'anonymous' exceeds maximum operation depth of 12"
    shallow = "{ partners { edges { node { " + "parent { " * 8 + "name" + " }" * 8 + " } } } }"
    assert "errors" not in await gql.raw(shallow)
