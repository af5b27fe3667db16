"""The production path with no fixture help: a database migrated from scratch, its first
administrator made by `erp user create --admin`, who signs in, creates the first company over
GraphQL, then sells a product."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import text
from sqlalchemy.engine import make_url

from api.app import create_app
from domain.core.db import create_engine
from domain.core.settings import Settings
from tests.conftest import (
    DATABASE_URL,
    GraphQLClient,
    is_postgres,
    reset_database,
    upgrade_database,
)

ERP = str(Path(sys.executable).with_name("erp"))


@pytest.fixture
def empty_url(tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database of its own."""
    if not is_postgres():
        yield f"sqlite+aiosqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    base = make_url(DATABASE_URL)
    name = f"{base.database}_fresh"
    server = create_sync_engine(
        base.set(drivername="postgresql+psycopg", database="postgres"),
        isolation_level="AUTOCOMMIT",
    )
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture
def first_admin(empty_url: str) -> str:
    """The empty database migrated, and its first administrator made the documented way."""
    reset_database(empty_url)
    env = {**os.environ, "DATABASE_URL": empty_url, "ERP_USER_PASSWORD": "first admin password"}
    created = subprocess.run(
        [ERP, "user", "create", "admin@fresh.example", "--name", "Admin", "--admin"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == "User admin@fresh.example created (superuser)."
    return empty_url


@pytest.fixture
async def fresh(first_admin: str) -> AsyncIterator[GraphQLClient]:
    """A client of the app over that database, signed in as its first administrator."""
    empty_url = first_admin
    engine = create_engine(empty_url)
    app = create_app(Settings(database_url=empty_url, redis_url=None), engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        signed_in = await GraphQLClient(client)(
            'mutation { login(input: {email: "admin@fresh.example", password: "first admin password"}) {'
            " tokens { accessToken } errors { code } } }"
        )
        client.headers["Authorization"] = f"Bearer {signed_in['login']['tokens']['accessToken']}"
        yield GraphQLClient(client)
    await engine.dispose()


async def payload(gql: GraphQLClient, mutation: str, name: str, variables: dict[str, Any]) -> Any:
    data = await gql(mutation, variables)
    assert data[name]["errors"] == [], data
    return data[name]


async def test_a_migrated_database_sells_its_first_product(fresh: GraphQLClient) -> None:
    units = await fresh(
        "{ uoms(first: 100) { edges { node { name category { name } } } }"
        " currencies { edges { node { code } } } }"
    )
    names = {(e["node"]["category"]["name"], e["node"]["name"]) for e in units["uoms"]["edges"]}
    assert {("Unit", "Units"), ("Unit", "Dozens"), ("Weight", "kg"), ("Time", "Hours")} <= names
    assert {e["node"]["code"] for e in units["currencies"]["edges"]} >= {"EUR", "USD", "JPY"}

    await payload(
        fresh,
        "mutation($input: CompanyCreateInput!) { companyCreate(input: $input) {"
        " company { id } errors { field code message } } }",
        "companyCreate",
        {"input": {"name": "First Company", "currency": "EUR"}},
    )
    product = await payload(
        fresh,
        "mutation($input: ProductInput!) { productCreate(input: $input) {"
        " product { id uom { name } } errors { field code message } } }",
        "productCreate",
        {"input": {"sku": "DESK", "name": "Desk", "salePrice": "120.00", "type": "STORABLE"}},
    )
    assert product["product"]["uom"] == {"name": "Units"}
    partner = await payload(
        fresh,
        "mutation($input: PartnerInput!) { partnerCreate(input: $input) {"
        " partner { id } errors { field code message } } }",
        "partnerCreate",
        {"input": {"name": "Azure Interior", "isCustomer": True}},
    )
    order = await payload(
        fresh,
        "mutation($input: SaleOrderCreateInput!) { saleOrderCreate(input: $input) {"
        " saleOrder { id amountUntaxed { amount currency } } errors { field code message } } }",
        "saleOrderCreate",
        {
            "input": {
                "partnerId": partner["partner"]["id"],
                "lines": [{"productId": product["product"]["id"], "quantity": "3"}],
            }
        },
    )
    # 3 × 120.00, no taxes on a fresh company's product.
    assert order["saleOrder"]["amountUntaxed"] == {"amount": "360.00", "currency": "EUR"}
    confirmed = await payload(
        fresh,
        "mutation($id: ID!) { saleOrderConfirm(id: $id) {"
        " saleOrder { state deliveries { state moves { quantity } } }"
        " errors { field code message } } }",
        "saleOrderConfirm",
        {"id": order["saleOrder"]["id"]},
    )
    assert confirmed["saleOrder"]["state"] == "SALE"
    assert [d["moves"] for d in confirmed["saleOrder"]["deliveries"]] == [[{"quantity": "3"}]]


def test_an_upgraded_database_keeps_its_data_and_gains_what_was_missing(empty_url: str) -> None:
    """A database from before the base data migration, where the demo had installed some
    units and a company exists, ends with each base row once and the new account."""
    reset_database(empty_url, "0012")
    url = make_url(empty_url)
    sync = create_sync_engine(
        url.set(drivername="sqlite" if url.get_backend_name() == "sqlite" else "postgresql+psycopg")
    )
    with sync.begin() as connection:
        for statement in (
            "INSERT INTO currency (code, name, symbol, digits, rounding, active)"
            " VALUES ('EUR', 'Euro', '€', 2, 0.01, true)",
            "INSERT INTO uom_category (name) VALUES ('Unit')",
            "INSERT INTO uom (category_id, name, ratio, rounding, active)"
            " SELECT id, 'Units', 1, 1, true FROM uom_category",
            "INSERT INTO company (name, currency_id, created_at, updated_at)"
            " SELECT 'Old Company', id, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM currency",
        ):
            connection.execute(text(statement))
    upgrade_database(empty_url)
    with sync.connect() as connection:
        counts = dict(
            connection.execute(
                text("SELECT name, count(*) FROM uom GROUP BY name HAVING name IN ('Units', 'kg')")
            ).all()
        )
        currencies = connection.scalar(text("SELECT count(*) FROM currency"))
        opening = connection.execute(
            text("SELECT code, name, account_type FROM account WHERE role = 'opening_balance'")
        ).all()
    sync.dispose()
    assert counts == {"Units": 1, "kg": 1}
    assert currencies == 5
    assert [tuple(row) for row in opening] == [("3900", "Opening Balance", "equity")]
