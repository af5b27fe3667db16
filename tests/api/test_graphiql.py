"""GraphiQL works offline: its page loads only the project's own files, and it opens on
example queries that run on the demo data."""

from __future__ import annotations

import re

import httpx
from graphql import OperationDefinitionNode, parse, print_ast

from api.graphiql import EXAMPLES
from tests.conftest import GraphQLClient

TYPES = {".js": "javascript", ".css": "text/css"}


async def test_the_page_loads_only_local_assets(http: httpx.AsyncClient) -> None:
    page = (await http.get("/graphql", headers={"accept": "text/html"})).text
    assert not re.search(r"(https?:)?//[\w.-]+\.\w+/", page), "the page names another site"
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sorted(assets) == [
        "/graphiql/graphiql.min.css",
        "/graphiql/graphiql.min.js",
        "/graphiql/react-dom.production.min.js",
        "/graphiql/react.production.min.js",
    ]
    for asset in assets:
        response = await http.get(asset)
        assert response.status_code == 200, asset
        assert TYPES[asset[asset.rindex(".") :]] in response.headers["content-type"]
    assert "isHeadersEditorEnabled: true" in page
    assert '"query Quotations {' not in page  # inlined as a JavaScript string
    assert "query Quotations {\\n" in page


async def test_the_example_queries_answer_on_the_demo_data(demo_gql: GraphQLClient) -> None:
    operations = [
        definition
        for definition in parse(EXAMPLES.read_text()).definitions
        if isinstance(definition, OperationDefinitionNode)
    ]
    assert len(operations) == 5
    answers = {}
    for operation in operations:
        assert operation.name is not None
        answers[operation.name.value] = await demo_gql(print_ast(operation))
    # The demo's five quotations, five products, five customers (and not their delivery
    # addresses), the three confirmed orders' deliveries, and the generic chart.
    assert answers["Quotations"]["saleOrders"]["totalCount"] == 5
    products = answers["ProductsAndStock"]["products"]["edges"]
    desk = next(edge["node"] for edge in products if edge["node"]["sku"] == "DESK-001")
    assert desk["availability"]["onHand"] == "20"
    assert answers["Customers"]["partners"]["totalCount"] == 5
    assert len(answers["Deliveries"]["pickings"]["edges"]) >= 1
    journals = [edge["node"]["code"] for edge in answers["ChartOfAccounts"]["journals"]["edges"]]
    assert "BNK" in journals
