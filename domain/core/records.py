"""Loading records within the caller's company: the one place record rules are applied."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.core.db import CompanyOwned
from domain.core.errors import CoreErrorCode, NotFound

M = TypeVar("M", bound=CompanyOwned)


def scoped(model: type[M], company_ids: Any) -> Select[M]:
    """`SELECT model` limited to records of the given companies."""
    return select(model).where(model.company_id.in_(company_ids))


async def get_owned(
    session: AsyncSession, model: type[M], record_id: int, company_id: int, *, lock: bool = False
) -> M | None:
    """The record if it exists and belongs to `company_id`, else None; `lock` takes a row lock."""
    query = select(model).where(
        model.id == record_id,  # type: ignore[attr-defined]
        model.company_id == company_id,
    )
    if lock:
        query = query.with_for_update()
    return (await session.scalars(query)).one_or_none()


async def check_owned(
    execute: Callable[[Any], Awaitable[Any]],
    model: type[CompanyOwned],
    ids: Collection[int],
    company_id: int,
    field: str,
) -> None:
    """Every one of `ids` is a record of `model` in the company, else NOT_FOUND on `field`."""
    if not ids:
        return
    record_id = model.id  # type: ignore[attr-defined]
    found = set(
        (
            await execute(
                select(record_id).where(record_id.in_(ids), model.company_id == company_id)
            )
        ).scalars()
    )
    if missing := sorted(set(ids) - found):
        raise NotFound(
            CoreErrorCode.NOT_FOUND,
            f"No {model.__name__.lower()} with the id{'s' if len(missing) > 1 else ''} "
            f"{', '.join(map(str, missing))} in the company.",
            field=[field],
        )
