"""Migration 0014 over data in the old shape: sales references become origins, and back.

The data is made by the services at the head revision, in a database of its own (a file on
SQLite, a schema on PostgreSQL); downgrading below 0014 puts it in the old shape, which is
checked, and upgrading again must give the same origins.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from alembic import command
from domain.accounting.models import InvoiceLine
from domain.core import services as core
from domain.core.db import create_engine, session_factory
from domain.core.origins import Origin
from domain.core.uow import UnitOfWork, transact
from domain.inventory.models import Move, Picking
from domain.sales.invoicing import invoice_orders
from domain.sales.models import SALE_LINE, SALE_ORDER
from tests.conftest import DATABASE_URL, ROOT, Db, is_postgres
from tests.stock import deliveries, make_customer, make_product, moves_of, receive, sell

SCHEMA = "migration_origins"


def _migrate(url: str, step: Callable[[Config, str], None], revision: str) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["database_url"] = url
    config.attributes["skip_logging"] = True
    # Alembic's env runs its own event loop, so keep it off the test loop's thread.
    failures: list[BaseException] = []

    def run() -> None:
        try:
            step(config, revision)
        except BaseException as error:  # re-raised on the test's thread
            failures.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


def _before_origins() -> str:
    """The revision 0014 follows (the chain may gain revisions in between)."""
    script = ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini")))
    down = script.get_revision("0014").down_revision
    assert isinstance(down, str)
    return down


@pytest.fixture
def url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the test's dialect, apart from the one the suite uses."""
    if not is_postgres():
        yield f"sqlite+aiosqlite:///{tmp_path / 'migration.sqlite3'}"
        return
    admin = create_sync_engine(
        make_url(DATABASE_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    in_schema = make_url(DATABASE_URL).update_query_dict({"options": f"-csearch_path={SCHEMA}"})
    yield in_schema.render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f"DROP SCHEMA {SCHEMA} CASCADE"))
    admin.dispose()


@pytest.fixture
async def data(url: str) -> AsyncIterator[tuple[Db, str]]:
    """A database at the head revision with one company, and its URL."""
    _migrate(url, command.upgrade, "heads")
    engine = create_engine(url)

    async def seed(uow: UnitOfWork) -> int:
        company = await core.create_company(uow, name="Migrated", currency_code="EUR")
        return company.id

    sessions = session_factory(engine)
    if is_postgres():
        async with sessions() as session:
            assert await session.scalar(text("SELECT current_schema()")) == SCHEMA
    yield Db(sessions, await transact(sessions, seed)), url
    await engine.dispose()


async def _rows(db: Db, sql: str) -> list[tuple[Any, ...]]:
    async with db.sessions() as session:
        return [tuple(row) for row in await session.execute(text(sql))]


async def test_sales_references_become_origins_and_back(data: tuple[Db, str]) -> None:
    db, url = data
    chair = await make_product(db, "CHAIR")
    receipt = await receive(db, chair, "5")
    customer = await make_customer(db)
    order = await sell(db, customer, [(chair, "2")])
    [delivery] = await deliveries(db, order.id)
    [move] = await moves_of(db, delivery.id)
    invoice = await db.run(lambda uow: invoice_orders(uow, db.company_id, [order.id]))
    [line_id] = [row[0] for row in await _rows(db, "SELECT id FROM sale_order_line")]

    _migrate(url, command.downgrade, _before_origins())
    # The old shape: sales columns, and the source document's name in `origin`.
    assert await _rows(db, "SELECT id, sale_order_id, origin FROM stock_picking ORDER BY id") == [
        (receipt.id, None, None),
        (delivery.id, order.id, order.name),
    ]
    assert await _rows(db, f"SELECT sale_line_id, origin FROM stock_move WHERE id = {move.id}") == [
        (line_id, order.name)
    ]
    assert await _rows(
        db, f"SELECT sale_line_id FROM invoice_line WHERE entry_id = {invoice.id}"
    ) == [(line_id,)]

    _migrate(url, command.upgrade, "heads")
    async with db.sessions() as session:
        pickings = {
            picking.id: (picking.origin, picking.origin_name)
            for picking in await session.scalars(select(Picking))
        }
        moved = await session.get(Move, move.id)
        [invoiced] = await session.scalars(
            select(InvoiceLine).where(InvoiceLine.entry_id == invoice.id)
        )
    assert pickings == {
        receipt.id: (None, None),
        delivery.id: (Origin(SALE_ORDER, order.id), order.name),
    }
    assert moved is not None
    assert (moved.origin, moved.origin_name) == (Origin(SALE_LINE, line_id), order.name)
    assert invoiced.origin == Origin(SALE_LINE, line_id)
