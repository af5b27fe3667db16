"""Abuse limits: storefront requests are counted per token and per client address (in Redis
when the deployment has it), refused with HTTP 429 over the limit; and the contact form
stores a visitor's enquiry."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.app import create_app
from api.storefront.limits import MemoryLimiter, RedisLimiter
from domain.core.settings import Settings
from tests.api.test_identity import post
from tests.conftest import DATABASE_URL, REDIS_URL, Db, GraphQLClient, bearer
from tests.storefront_factories import create_channel, storefront_token

CHANNEL = "{ storefrontChannel { name } }"


@pytest.fixture
async def strict(db: Db, engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    """The app allowing 3 storefront requests a minute per token and 5 per address."""
    settings = Settings(
        database_url=DATABASE_URL,
        redis_url=None,
        storefront_rate_per_token=3,
        storefront_rate_per_address=5,
    )
    transport = httpx.ASGITransport(app=create_app(settings, engine), client=("203.0.113.7", 1))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", headers=bearer(db.admin_token)
    ) as client:
        yield client


async def test_a_token_over_its_limit_gets_429_and_staff_are_not_counted(
    gql: GraphQLClient, strict: httpx.AsyncClient
) -> None:
    token = await storefront_token(gql, await create_channel(gql, "WEB"))
    statuses = [(await post(strict, CHANNEL, **bearer(token))).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = await post(strict, CHANNEL, **bearer(token))
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    back_office = [
        (await strict.post("/graphql", json={"query": "{ me { name } }"})).status_code
        for _ in range(6)
    ]
    assert back_office == [200] * 6


async def test_an_address_over_its_limit_is_refused_whatever_the_token(
    gql: GraphQLClient, strict: httpx.AsyncClient
) -> None:
    channel = await create_channel(gql, "WEB")
    first, second = await storefront_token(gql, channel), await storefront_token(gql, channel)
    statuses = [
        (await post(strict, CHANNEL, **bearer(token))).status_code
        for token in (first, first, first, second, second, second)
    ]
    assert statuses == [200, 200, 200, 200, 200, 429]


async def test_windows_start_afresh() -> None:
    now = [1000.0]
    limiter = MemoryLimiter(clock=lambda: now[0])
    assert [(await limiter.hit("k", 2, 60)).allowed for _ in range(3)] == [True, True, False]
    now[0] += 60
    assert (await limiter.hit("k", 2, 60)).allowed


async def test_redis_counts_for_every_process() -> None:
    key = uuid.uuid4().hex
    now = [1200.0]
    one, two = (
        RedisLimiter(REDIS_URL, clock=lambda: now[0]),
        RedisLimiter(REDIS_URL, clock=lambda: now[0]),
    )
    verdicts = [await one.hit(key, 2, 60), await two.hit(key, 2, 60), await one.hit(key, 2, 60)]
    assert [verdict.allowed for verdict in verdicts] == [True, True, False]
    assert verdicts[2].retry_after == 60
    await one.redis.aclose()
    await two.redis.aclose()


async def test_the_contact_form_stores_the_enquiry(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    token = await storefront_token(gql, await create_channel(gql, "WEB"))
    send = """mutation($input: ContactFormInput!) { contactFormSubmit(input: $input) {
        received errors { field code } } }"""
    message = {
        "name": " Ann ",
        "email": "Ann@Example.com",
        "subject": "Delivery",
        "message": "Do you ship to Ghent?",
    }
    sent = (await post(http, send, {"input": message}, **bearer(token))).json()["data"]
    assert sent["contactFormSubmit"] == {"received": True, "errors": []}
    bad = (
        await post(
            http, send, {"input": {**message, "email": "nope", "message": " "}}, **bearer(token)
        )
    ).json()
    assert bad["data"]["contactFormSubmit"]["errors"] == [
        {"field": ["message"], "code": "REQUIRED"}
    ]
    stored = await gql(
        "{ enquiries { totalCount edges { node { name email subject message channel { code } } } } }"
    )
    assert stored["enquiries"]["totalCount"] == 1
    assert stored["enquiries"]["edges"][0]["node"] == {
        "name": "Ann",
        "email": "ann@example.com",
        "subject": "Delivery",
        "message": "Do you ship to Ghent?",
        "channel": {"code": "WEB"},
    }
