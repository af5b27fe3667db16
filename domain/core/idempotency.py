"""Idempotency keys: a retried command gives back the first run's result, once.

The key is claimed with an insert that waits for a concurrent holder of the same key: on
PostgreSQL the second transaction blocks on the unique index until the first commits, then
finds its row; on SQLite writers already queue. Same key, same input: the first result.
Same key, another input: a typed error. Nothing else runs twice.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapper

from domain.core.db import Base
from domain.core.dispatcher import Execution, IdempotencyConflict, Next, use
from domain.core.errors import CoreErrorCode
from domain.core.models import IdempotencyRecord

#: Longest key accepted; a longer one is refused at the input's field.
MAX_KEY_LENGTH = 200


@use
async def replay_idempotent(execution: Execution, call_next: Next) -> Any:
    """Run the command once per (actor, key); later runs return the first result."""
    command = execution.command
    key = command.idempotency_key
    if not key:
        return await call_next()
    if len(key) > MAX_KEY_LENGTH:
        raise IdempotencyConflict(
            CoreErrorCode.INVALID,
            f"An idempotency key has at most {MAX_KEY_LENGTH} characters.",
            field=["idempotency_key"],
        )
    uow = execution.uow
    session = uow.session
    fingerprint = command.fingerprint()
    values = {
        "actor": execution.actor.key,
        "key": key,
        "command": command.command_name,
        "fingerprint": fingerprint,
    }
    claim = (pg_insert if uow.dialect == "postgresql" else sqlite_insert)(IdempotencyRecord)
    claimed = await session.scalar(
        claim.values(**values).on_conflict_do_nothing().returning(IdempotencyRecord.id)
    )
    if claimed is None:
        record = (
            await session.scalars(
                select(IdempotencyRecord).where(
                    IdempotencyRecord.actor == values["actor"], IdempotencyRecord.key == key
                )
            )
        ).one()
        if record.command != command.command_name or record.fingerprint != fingerprint:
            raise IdempotencyConflict(
                CoreErrorCode.INVALID,
                "This idempotency key was used for another request; use a new key.",
                field=["idempotency_key"],
            )
        return await _first_result(session, record)
    result = await call_next()
    result_id = getattr(result, "id", None)
    await session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.id == claimed)
        .values(result_type=type(result).__name__ if result_id else None, result_id=result_id)
    )
    return result


async def _first_result(session: Any, record: IdempotencyRecord) -> Any:
    if record.result_type is None or record.result_id is None:
        return None
    return await session.get(_mapped_class(record.result_type), record.result_id)


def _mapped_class(name: str) -> type[Base]:
    mappers: set[Mapper[Any]] = set(Base.registry.mappers)
    for mapper in mappers:
        if mapper.class_.__name__ == name:
            return mapper.class_
    raise LookupError(f"No mapped class {name}.")


__all__ = ["MAX_KEY_LENGTH", "replay_idempotent"]
