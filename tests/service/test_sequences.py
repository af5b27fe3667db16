"""Gap-free numbering under concurrent use."""

from __future__ import annotations

import asyncio

import pytest

from domain.core.services import next_sequence_number
from domain.core.uow import UnitOfWork
from tests.conftest import Db, postgres_only


async def test_numbers_are_padded_and_consecutive(db: Db) -> None:
    async def take(uow: UnitOfWork) -> str:
        return await next_sequence_number(uow, db.company_id, "test.doc", prefix="DOC/", padding=3)

    assert [await db.run(take) for _ in range(3)] == ["DOC/001", "DOC/002", "DOC/003"]


async def test_a_rolled_back_transaction_gives_its_number_back(db: Db) -> None:
    async def take_then_fail(uow: UnitOfWork) -> str:
        await next_sequence_number(uow, db.company_id, "test.doc", prefix="D")
        raise RuntimeError("the document was refused")

    async def take(uow: UnitOfWork) -> str:
        return await next_sequence_number(uow, db.company_id, "test.doc", prefix="D")

    assert await db.run(take) == "D00001"
    with pytest.raises(RuntimeError):
        await db.run(take_then_fail)
    assert await db.run(take) == "D00002"


@postgres_only
async def test_concurrent_transactions_never_share_or_skip_a_number(db: Db) -> None:
    async def take(uow: UnitOfWork) -> str:
        number = await next_sequence_number(uow, db.company_id, "test.doc", prefix="S")
        await asyncio.sleep(0.01)  # hold the counter while the others queue behind it
        return number

    numbers = await asyncio.gather(*(db.run(take) for _ in range(20)))
    assert sorted(numbers) == [f"S{n:05d}" for n in range(1, 21)]
