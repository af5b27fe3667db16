"""Loading records within the caller's company: the one place record rules are applied."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.core.db import CompanyOwned

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
