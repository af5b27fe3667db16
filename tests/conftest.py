"""Test fixtures: a migrated database (PostgreSQL or SQLite), the app over HTTP, factories.

`TEST_DATABASE_URL` picks the database; `make test` runs the suite on both. Each test starts
from empty tables plus the base data (currencies, units) and one company.
"""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from alembic.config import Config
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from alembic import command
from api.app import create_app
from domain.core import services as core
from domain.core.db import Base, create_engine, session_factory
from domain.core.models import Company
from domain.core.settings import Settings, get_settings
from domain.core.uow import UnitOfWork, transact
from domain.demo import load_demo
from domain.models import import_all_models
from domain.wiring import load_handlers

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite+aiosqlite:///{ROOT / 'var' / 'test.sqlite3'}"
DATABASE_URL = os.environ.get("TEST_DATABASE_URL", DEFAULT_URL)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
T = TypeVar("T")

# Workers and the job runner read the process settings: point them at the test services.
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["REDIS_URL"] = REDIS_URL
get_settings.cache_clear()

import_all_models()
load_handlers()


def is_postgres() -> bool:
    return make_url(DATABASE_URL).get_backend_name() == "postgresql"


postgres_only = pytest.mark.skipif(
    not is_postgres(), reason="concurrency guarantees are proven on PostgreSQL"
)


def _reset_database() -> None:
    """An empty database at the head migration."""
    url = make_url(DATABASE_URL)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        sync_url = url.set(drivername="postgresql+psycopg")
        engine = create_sync_engine(sync_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["database_url"] = DATABASE_URL
    config.attributes["skip_logging"] = True
    # Alembic's env runs its own event loop, so keep it off the test loop's thread.
    thread = threading.Thread(target=command.upgrade, args=(config, "heads"))
    thread.start()
    thread.join()


@pytest.fixture(scope="session")
def migrated() -> None:
    _reset_database()


@pytest.fixture(scope="session")
async def engine(migrated: None) -> AsyncIterator[AsyncEngine]:
    engine = (
        create_engine(DATABASE_URL, pool_size=30, max_overflow=10)
        if is_postgres()
        else create_engine(DATABASE_URL)
    )
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return session_factory(engine)


async def _empty_tables(engine: AsyncEngine) -> None:
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            await connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                await connection.execute(text(f"DELETE FROM {table}"))


@dataclass
class Db:
    """Runs service calls the way the API does: one Unit of Work per call."""

    sessions: async_sessionmaker[AsyncSession]
    company_id: int

    async def run(self, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        return await transact(self.sessions, work)

    async def scalar(self, statement: Any) -> Any:
        async with self.sessions() as session:
            return await session.scalar(statement)


@pytest.fixture
async def db(engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[Db]:
    """Empty tables, base data and one company ("Test Company", EUR)."""
    await _empty_tables(engine)

    async def seed(uow: UnitOfWork) -> int:
        await core.install_base_data(uow)
        company = await core.create_company(uow, name="Test Company", currency_code="EUR")
        return company.id

    company_id = await transact(sessions, seed)
    yield Db(sessions, company_id)


@dataclass
class StatementCounter:
    count: int = 0


@pytest.fixture
def statements(engine: AsyncEngine) -> Iterator[StatementCounter]:
    """Counts SQL statements sent while the test runs."""
    counter = StatementCounter()

    def count(*_args: Any) -> None:
        counter.count += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    yield counter
    event.remove(engine.sync_engine, "before_cursor_execute", count)


class GraphQLClient:
    """Posts GraphQL over HTTP to the app, as a frontend would."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def raw(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers or {}
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def __call__(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        body = await self.raw(query, variables, headers)
        assert not body.get("errors"), body["errors"]
        return body["data"]


@pytest.fixture
def settings() -> Settings:
    return Settings(database_url=DATABASE_URL, redis_url=None)


@asynccontextmanager
async def app_client(settings: Settings, engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(settings, engine))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.fixture
async def http(db: Db, engine: AsyncEngine, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(settings, engine) as client:
        yield client


@pytest.fixture
async def demo(
    engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]
) -> AsyncIterator[Db]:
    """Empty tables, then the demo data, loaded as `erp demo` loads it."""
    await _empty_tables(engine)
    assert await load_demo(DATABASE_URL)
    async with sessions() as session:
        company_id = await session.scalar(select(Company.id))
    yield Db(sessions, company_id)


@pytest.fixture
async def demo_gql(
    demo: Db, engine: AsyncEngine, settings: Settings
) -> AsyncIterator[GraphQLClient]:
    async with app_client(settings, engine) as client:
        yield GraphQLClient(client)


@pytest.fixture
def gql(http: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(http)
