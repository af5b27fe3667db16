"""Signing in over HTTP: tokens, their expiry and rotation, sign-out, API keys, companies."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import jwt
from sqlalchemy import func, select
from strawberry import relay

from domain.core.settings import get_settings
from domain.governance.access import create_user
from domain.governance.models import ApiKey
from tests.conftest import TEST_PASSWORD, Db, GraphQLClient, bearer, signed_in
from tests.factories import create_partner

LOGIN = """mutation($email: String!, $password: String!) {
  login(input: {email: $email, password: $password}) {
    tokens { accessToken refreshToken expiresAt } errors { field code message } } }"""
REFRESH = """mutation($token: String!) { tokenRefresh(input: {refreshToken: $token}) {
  tokens { accessToken refreshToken } errors { field code message } } }"""
LOGOUT = """mutation($token: String!) { logout(input: {refreshToken: $token}) {
  ok errors { code } } }"""
ME = "{ me { name email kind companies { name } permissions { name } } }"


async def post(
    http: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None, **headers: str
) -> httpx.Response:
    """A request with exactly these headers: none of the fixture's superuser token."""
    request = http.build_request(
        "POST", "/graphql", json={"query": query, "variables": variables or {}}
    )
    request.headers.pop("authorization", None)
    request.headers.update(headers)
    return await http.send(request)


async def login(http: httpx.AsyncClient, email: str, password: str = TEST_PASSWORD) -> Any:
    response = await post(http, LOGIN, {"email": email, "password": password})
    return response.json()["data"]["login"]


async def make_user(db: Db, email: str) -> None:
    async def create(uow: Any) -> None:
        await create_user(uow, email=email, name="Ann Example", password=TEST_PASSWORD)

    await db.run(create)


def code(response: httpx.Response) -> str:
    return response.json()["errors"][0]["extensions"]["code"]


async def test_anonymous_calls_get_unauthenticated_and_no_data(http: httpx.AsyncClient) -> None:
    for query in ("{ saleOrders { totalCount } }", "{ me { name } }", ME):
        response = await post(http, query)
        assert response.status_code == 401
        assert code(response) == "UNAUTHENTICATED"
        assert response.json()["data"] is None
    garbage = await post(http, ME, authorization="Bearer not-a-token")
    assert (garbage.status_code, code(garbage)) == (401, "UNAUTHENTICATED")
    basic = await post(http, ME, authorization="Basic dXNlcjpwYXNz")
    assert (basic.status_code, code(basic)) == (401, "UNAUTHENTICATED")


async def test_login_gives_tokens_that_work_and_wrong_passwords_do_not(
    db: Db, http: httpx.AsyncClient
) -> None:
    await make_user(db, "ann@example.com")
    wrong = await login(http, "ann@example.com", "not the password")
    assert wrong == {
        "tokens": None,
        "errors": [
            {
                "field": ["email"],
                "code": "INVALID_CREDENTIALS",
                "message": "Wrong e-mail or password.",
            }
        ],
    }
    unknown = await login(http, "nobody@example.com")
    assert unknown["errors"][0]["code"] == "INVALID_CREDENTIALS"
    # The e-mail is matched case-insensitively.
    signed = await login(http, "Ann@Example.com")
    assert signed["errors"] == []
    me = await post(http, ME, **bearer(signed["tokens"]["accessToken"]))
    # Not a member of any company yet: signed in, but with nothing to work in.
    assert me.json()["data"]["me"] == {
        "name": "Ann Example",
        "email": "ann@example.com",
        "kind": "USER",
        "companies": [],
        "permissions": [],
    }


async def test_an_expired_access_token_is_refused_with_401(db: Db, http: httpx.AsyncClient) -> None:
    token = await db.run(lambda uow: signed_in(uow, "late@example.com", superuser=True))
    claims = jwt.decode(token, get_settings().secret_key, algorithms=["HS256"])
    claims["exp"] = int((dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)).timestamp())
    expired = jwt.encode(claims, get_settings().secret_key, algorithm="HS256")
    response = await post(http, ME, **bearer(expired))
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == "The access token has expired; refresh it."
    forged = jwt.encode({**claims, "exp": claims["exp"] + 3600}, "another key", algorithm="HS256")
    assert (await post(http, ME, **bearer(forged))).status_code == 401


async def test_refresh_rotates_and_a_reused_refresh_token_revokes_the_session(
    db: Db, http: httpx.AsyncClient
) -> None:
    await make_user(db, "ann@example.com")
    first = (await login(http, "ann@example.com"))["tokens"]
    rotated = (await post(http, REFRESH, {"token": first["refreshToken"]})).json()["data"][
        "tokenRefresh"
    ]
    assert rotated["errors"] == []
    second = rotated["tokens"]
    assert second["refreshToken"] != first["refreshToken"]
    assert (await post(http, ME, **bearer(second["accessToken"]))).status_code == 200
    # The first refresh token again: a copy is in someone else's hands. Refused, and the whole
    # session ends: the rotated tokens stop working too.
    reused = (await post(http, REFRESH, {"token": first["refreshToken"]})).json()["data"][
        "tokenRefresh"
    ]
    assert reused["tokens"] is None
    assert reused["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert (await post(http, ME, **bearer(second["accessToken"]))).status_code == 401
    again = (await post(http, REFRESH, {"token": second["refreshToken"]})).json()["data"]
    assert again["tokenRefresh"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    # Another sign-in is a new session, unaffected.
    fresh = (await login(http, "ann@example.com"))["tokens"]
    assert (await post(http, ME, **bearer(fresh["accessToken"]))).status_code == 200


async def test_logout_ends_the_session_at_once(db: Db, http: httpx.AsyncClient) -> None:
    await make_user(db, "ann@example.com")
    tokens = (await login(http, "ann@example.com"))["tokens"]
    out = (await post(http, LOGOUT, {"token": tokens["refreshToken"]})).json()["data"]["logout"]
    assert out == {"ok": True, "errors": []}
    assert (await post(http, ME, **bearer(tokens["accessToken"]))).status_code == 401
    refresh = (await post(http, REFRESH, {"token": tokens["refreshToken"]})).json()["data"]
    assert refresh["tokenRefresh"]["errors"][0]["code"] == "INVALID_CREDENTIALS"


CREATE_KEY = """mutation($permissions: [String!]!) {
  apiKeyCreate(input: {name: "Shop sync", permissions: $permissions}) {
    created { secret apiKey { id prefix permissions { name } lastUsedAt } } errors { field code } } }"""


async def test_api_keys_are_shown_once_scoped_recorded_and_revocable(
    db: Db, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    await create_partner(gql, "Azure Interior")
    created = (await gql(CREATE_KEY, {"permissions": ["partners.read"]}))["apiKeyCreate"]
    assert created["errors"] == []
    secret = created["created"]["secret"]
    key = created["created"]["apiKey"]
    assert secret.startswith("erpk_") and secret.startswith(key["prefix"])
    assert key["permissions"] == [{"name": "partners.read"}]
    # Only a digest is stored, never the secret.
    stored = await db.scalar(select(ApiKey.key_hash))
    assert secret not in stored and len(stored) == 64

    partners = await post(http, "{ partners { totalCount } }", **bearer(secret))
    assert partners.json()["data"] == {"partners": {"totalCount": 1}}
    orders = await post(http, "{ saleOrders { totalCount } }", **bearer(secret))
    assert code(orders) == "FORBIDDEN"
    write = await post(
        http,
        'mutation { partnerCreate(input: {name: "X"}) { partner { id } errors { code } } }',
        **bearer(secret),
    )
    assert code(write) == "FORBIDDEN"
    assert await db.scalar(select(ApiKey.last_used_at)) is not None

    listed = await gql("{ apiKeys { edges { node { id name lastUsedAt revokedAt } } } }")
    node = listed["apiKeys"]["edges"][0]["node"]
    assert node["lastUsedAt"] is not None and node["revokedAt"] is None
    revoke = await gql(
        "mutation($id: ID!) { apiKeyRevoke(id: $id) { apiKey { revokedAt } errors { code } } }",
        {"id": key["id"]},
    )
    assert revoke["apiKeyRevoke"]["apiKey"]["revokedAt"] is not None
    after = await post(http, "{ partners { totalCount } }", **bearer(secret))
    assert (after.status_code, code(after)) == (401, "UNAUTHENTICATED")


async def test_a_key_cannot_get_what_its_maker_lacks(db: Db, http: httpx.AsyncClient) -> None:
    token = await db.run(
        lambda uow: signed_in(uow, "boss@example.com", roles={db.company_id: ["admin"]})
    )
    granted = (
        await post(http, CREATE_KEY, {"permissions": ["sales.read"]}, **bearer(token))
    ).json()
    assert granted["data"]["apiKeyCreate"]["errors"] == []
    unknown = (
        await post(http, CREATE_KEY, {"permissions": ["sales.read", "sales.fly"]}, **bearer(token))
    ).json()["data"]["apiKeyCreate"]
    assert unknown == {
        "created": None,
        "errors": [{"field": ["permissions", "1"], "code": "INVALID"}],
    }
    assert await db.scalar(select(func.count()).select_from(ApiKey)) == 1


async def test_the_company_header_must_name_one_of_the_callers_companies(
    db: Db, gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    other = (
        await gql(
            'mutation { companyCreate(input: {name: "Other Co", currency: "EUR"}) { company { id } } }'
        )
    )["companyCreate"]["company"]["id"]
    token = await db.run(
        lambda uow: signed_in(uow, "sam@example.com", roles={db.company_id: ["salesperson"]})
    )
    own = relay.GlobalID("Company", str(db.company_id))
    mine = await post(http, ME, **bearer(token), **{"x-company-id": str(own)})
    assert [c["name"] for c in mine.json()["data"]["me"]["companies"]] == ["Test Company"]
    theirs = await post(http, ME, **bearer(token), **{"x-company-id": other})
    assert code(theirs) == "FORBIDDEN"
    listed = await post(http, "{ companies { edges { node { name } } } }", **bearer(token))
    assert listed.json()["data"]["companies"]["edges"] == [{"node": {"name": "Test Company"}}]
    # The superuser sees both.
    everything = await gql("{ companies { totalCount } }")
    assert everything["companies"]["totalCount"] == 2
