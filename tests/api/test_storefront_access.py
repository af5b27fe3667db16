"""A storefront token reaches the storefront and nothing else, generated over the live schema:
every back-office root field and mutation (and those open to anyone signed in, such as `me`
and `node`) answers FORBIDDEN with no data and runs nothing; the storefront's own fields are
not refused. Without the token, the storefront is as closed as the rest."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from domain.governance.models import AuditEvent
from domain.storefront.permissions import TOKEN_PERMISSIONS
from tests.api.schema_walk import root_calls
from tests.api.test_identity import post
from tests.api.test_permission_matrix import SCHEMA, codes, needed
from tests.conftest import Db, GraphQLClient, bearer
from tests.storefront_factories import create_channel, storefront_token


async def test_a_storefront_token_is_refused_everything_but_the_storefront(
    db: Db, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    token = await storefront_token(gql, await create_channel(gql, "WEB"))
    wrong = []
    reached = []
    for call in root_calls(SCHEMA):
        need = needed(call)
        storefront = bool(need) and need <= TOKEN_PERMISSIONS
        audited = await db.scalar(select(func.count()).select_from(AuditEvent))
        body = (await post(http, call.document, **bearer(token))).json()
        if storefront:
            reached.append(call.name)
            if "FORBIDDEN" in codes(body) or "UNAUTHENTICATED" in codes(body):
                wrong.append(f"{call.name}: refused to the storefront: {body}")
        else:
            if codes(body) != {"FORBIDDEN"} or body.get("data") is not None:
                wrong.append(f"{call.name}: reached with a storefront token: {body}")
            if await db.scalar(select(func.count()).select_from(AuditEvent)) != audited:
                wrong.append(f"{call.name}: ran for a storefront token")
    assert wrong == []
    assert {"storefrontProducts", "storefrontChannel", "storefrontProduct"} <= set(reached)


async def test_a_storefront_field_beside_a_back_office_one_is_refused_whole(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    token = await storefront_token(gql, await create_channel(gql, "WEB"))
    for document in (
        "{ storefrontChannel { name } me { name } }",
        "{ storefrontChannel { name } products { totalCount } }",
        '{ storefrontChannel { name } node(id: "UHJvZHVjdDox") { id } }',
    ):
        body = (await post(http, document, **bearer(token))).json()
        assert codes(body) == {"FORBIDDEN"} and body["data"] is None, body


async def test_a_revoked_or_unknown_token_is_unauthenticated(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    channel = await create_channel(gql, "WEB")
    token = await storefront_token(gql, channel)
    tokens = await gql("{ channels { edges { node { tokens { id token } } } } }")
    token_id = tokens["channels"]["edges"][0]["node"]["tokens"][0]["id"]
    await gql(
        "mutation($id: ID!) { storefrontTokenRevoke(id: $id) { errors { code } } }",
        {"id": token_id},
    )
    for sent in (token, "sfpk_not-a-token"):
        response = await post(http, "{ storefrontChannel { name } }", **bearer(sent))
        assert response.status_code == 401
        assert codes(response.json()) == {"UNAUTHENTICATED"}


async def test_back_office_callers_without_a_channel_get_a_typed_error(
    gql: GraphQLClient,
) -> None:
    body = await gql.raw("{ storefrontProducts { totalCount } }")
    assert [error["extensions"]["code"] for error in body["errors"]] == ["CHANNEL_REQUIRED"]
