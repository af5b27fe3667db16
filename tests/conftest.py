"""Test fixtures: a migrated database (PostgreSQL or SQLite), the app over HTTP, factories.

`TEST_DATABASE_URL` picks the database; `make test` runs the suite on both. Each test starts
from what the migrations install (currencies, units) and one company, created by the service
a `companyCreate` calls.
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
from sqlalchemy import Table, event, func, select, text
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from alembic import command
from api.app import create_app
from domain.core import services as core
from domain.core.actors import SYSTEM, Actor
from domain.core.db import Base, create_engine, session_factory
from domain.core.dispatcher import Command, dispatch
from domain.core.models import Company
from domain.core.settings import Settings, get_settings
from domain.core.uow import UnitOfWork, transact
from domain.demo import load_demo
from domain.governance.identity import access_token, hash_password
from domain.governance.models import Membership, MembershipRole, Role, SignInSession, User
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


def reset_database(database_url: str = DATABASE_URL, revision: str = "heads") -> None:
    """An empty database migrated to `revision`: the head, as `erp db upgrade` leaves it."""
    url = make_url(database_url)
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
    upgrade_database(database_url, revision)


def upgrade_database(database_url: str, revision: str = "heads") -> None:
    """Apply the migrations up to `revision`, as `erp db upgrade` does."""
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["database_url"] = database_url
    config.attributes["skip_logging"] = True
    # Alembic's env runs its own event loop, so keep it off the test loop's thread.
    thread = threading.Thread(target=command.upgrade, args=(config, revision))
    thread.start()
    thread.join()


#: Rows of a table, as the migrations left them.
Installed = list[tuple[Table, list[dict[str, Any]]]]


def _installed_rows(connection: Connection) -> Installed:
    """Every row the migrations wrote (base data), table by table in dependency order."""
    installed = []
    for table in Base.metadata.sorted_tables:
        rows = [dict(row) for row in connection.execute(select(table)).mappings()]
        if rows:
            installed.append((table, rows))
    return installed


@pytest.fixture(scope="session")
def migrated() -> None:
    reset_database()


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
async def installed(engine: AsyncEngine) -> Installed:
    """What a database holds right after `erp db upgrade`, read once."""
    async with engine.connect() as connection:
        return await connection.run_sync(_installed_rows)


@pytest.fixture(scope="session")
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return session_factory(engine)


async def _reset_tables(engine: AsyncEngine, installed: Installed) -> None:
    """Back to a freshly migrated database: every table emptied, then the rows the
    migrations installed put back as they were, with their IDs."""
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            await connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                await connection.execute(text(f"DELETE FROM {table}"))
        for table, rows in installed:
            await connection.execute(table.insert(), rows)
            if engine.dialect.name == "postgresql" and "id" in table.c:
                # New rows are numbered after the installed ones, as on a migrated database.
                await connection.execute(
                    select(
                        func.setval(
                            func.pg_get_serial_sequence(table.name, "id"),
                            select(func.max(table.c.id)).scalar_subquery(),
                        )
                    )
                )


@dataclass
class Db:
    """Runs service calls the way the API does: one Unit of Work per call."""

    sessions: async_sessionmaker[AsyncSession]
    company_id: int
    #: An access token of the superuser `admin@test.example`, who signs every HTTP request.
    admin_token: str = ""

    async def run(self, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        return await transact(self.sessions, work)

    async def dispatch(self, command: Command[T], actor: Actor = SYSTEM) -> T:
        """Run `command` the way every entrypoint does: through the dispatcher."""
        return await dispatch(self.sessions, command, actor)

    async def scalar(self, statement: Any) -> Any:
        async with self.sessions() as session:
            return await session.scalar(statement)


@pytest.fixture
async def db(
    engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession], installed: Installed
) -> AsyncIterator[Db]:
    """A freshly migrated database with one company ("Test Company", EUR)."""
    await _reset_tables(engine, installed)

    async def seed(uow: UnitOfWork) -> tuple[int, str]:
        company = await core.create_company(uow, name="Test Company", currency_code="EUR")
        return company.id, await signed_in(uow, "admin@test.example", superuser=True)

    company_id, token = await transact(sessions, seed)
    yield Db(sessions, company_id, token)


#: One argon2 hash for every test user's password, "correct horse battery".
TEST_PASSWORD = "correct horse battery"
_TEST_PASSWORD_HASH = hash_password(TEST_PASSWORD)


async def signed_in(
    uow: UnitOfWork,
    email: str,
    *,
    superuser: bool = False,
    roles: dict[int, list[str]] | None = None,
) -> str:
    """A user with `roles` (built-in role names by company ID) and an access token of theirs,
    made without the cost of hashing a password per test."""
    user = User(
        email=email,
        name=email.split("@")[0],
        password_hash=_TEST_PASSWORD_HASH,
        superuser=superuser,
    )
    uow.session.add(user)
    await uow.session.flush()
    for company_id, names in (roles or {}).items():
        membership = Membership(user_id=user.id, company_id=company_id)
        uow.session.add(membership)
        await uow.session.flush()
        role_ids = await uow.session.scalars(select(Role.id).where(Role.name.in_(names)))
        uow.session.add_all(
            MembershipRole(membership_id=membership.id, role_id=role_id) for role_id in role_ids
        )
        user.default_company_id = user.default_company_id or company_id
    session = SignInSession(user_id=user.id)
    uow.session.add(session)
    await uow.session.flush()
    token, _ = access_token(get_settings().secret_key, user, session.id)
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


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
async def app_client(
    settings: Settings, engine: AsyncEngine, token: str
) -> AsyncIterator[httpx.AsyncClient]:
    """The app over HTTP, every request signed with `token`."""
    transport = httpx.ASGITransport(app=create_app(settings, engine))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", headers=bearer(token)
    ) as client:
        yield client


@pytest.fixture
async def http(db: Db, engine: AsyncEngine, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app over HTTP, every request signed by the superuser."""
    async with app_client(settings, engine, db.admin_token) as client:
        yield client


@pytest.fixture
async def demo(
    engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession], installed: Installed
) -> AsyncIterator[Db]:
    """A freshly migrated database, then the demo data, loaded as `erp demo` loads it."""
    await _reset_tables(engine, installed)
    assert await load_demo(DATABASE_URL)
    async with sessions() as session:
        company_id = await session.scalar(select(Company.id))
    token = await transact(
        sessions, lambda uow: signed_in(uow, "root@test.example", superuser=True)
    )
    yield Db(sessions, company_id, token)


@pytest.fixture
async def demo_gql(
    demo: Db, engine: AsyncEngine, settings: Settings
) -> AsyncIterator[GraphQLClient]:
    async with app_client(settings, engine, demo.admin_token) as client:
        yield GraphQLClient(client)


@pytest.fixture
def gql(http: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(http)
