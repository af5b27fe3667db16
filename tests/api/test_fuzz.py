"""Generated operations over the whole schema, valid and invalid: none is answered with a 500
or shows our internals."""

from __future__ import annotations

import asyncio
import os

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema, nodes

from api.schema import build_schema
from domain.core.settings import Settings
from tests.api.test_hostile_input import INTERNALS
from tests.conftest import Db, GraphQLClient
from tests.factories import create_order, create_partner, create_product

#: Examples per mode; CI may raise it with `FUZZ_EXAMPLES`.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))

SCALARS = {
    "Decimal": st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
        st.sampled_from(["1e13", "-1e14", "NaN", "Infinity", "", "1" * 40]),
        st.text(max_size=10),
    ).map(nodes.String),
    "Date": st.one_of(st.dates().map(str), st.text(max_size=12)).map(nodes.String),
    "DateTime": st.one_of(
        st.datetimes().map(lambda instant: instant.isoformat()), st.text(max_size=25)
    ).map(nodes.String),
}


async def seed(gql: GraphQLClient) -> None:
    """A few records, so generated reads and changes have something to find."""
    product = await create_product(gql, "DESK", "320.00")
    customer = await create_partner(gql, "Azure Interior")
    await create_order(gql, customer, [{"productId": product, "quantity": "2"}])


async def test_no_generated_operation_gets_a_500(
    http: httpx.AsyncClient, gql: GraphQLClient, db: Db
) -> None:
    await seed(gql)
    schema = build_schema(Settings())._schema
    loop = asyncio.get_running_loop()
    answers: list[int] = []

    def post(query: str) -> None:
        request = http.post("/graphql", json={"query": query})
        response = asyncio.run_coroutine_threadsafe(request, loop).result(timeout=120)
        answers.append(response.status_code)
        assert response.status_code < 500, (query, response.text[:500])
        assert not INTERNALS.search(response.text), (query, response.text[:500])
        # What a client sends is refused with a reason, never taken for a failure of ours.
        assert "INTERNAL_ERROR" not in response.text, (query, response.text[:500])

    for mode in (Mode.POSITIVE, Mode.NEGATIVE):
        operations = from_schema(schema, custom_scalars=SCALARS, mode=mode)

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(query=operations)
        def fuzz(query: str) -> None:
            post(query)

        # Hypothesis drives the examples on a thread; the app answers them on this loop.
        await asyncio.to_thread(fuzz)
    assert len(answers) >= EXAMPLES
