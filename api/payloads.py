"""Running a mutation: one Unit of Work, one domain service, a payload either way."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError

from api.context import Info
from api.errors import user_error
from domain.core.errors import CoreErrorCode, DomainError
from domain.core.uow import UnitOfWork, transact

P = TypeVar("P")


async def mutate(
    info: Info,
    payload: type[P],
    work: Callable[[UnitOfWork, int], Awaitable[Any]],
    *,
    aliases: Mapping[str, str] | None = None,
) -> P:
    """Run `work(uow, company_id)` in one transaction; map its result or error to `payload`.

    `aliases` renames domain field names the input calls otherwise (`list_price` → `sale_price`).
    """
    context = info.context
    build: Any = payload  # a strawberry payload type: `result_field`, `error_type`, `errors`
    try:
        result = await transact(context.sessions, lambda uow: work(uow, context.company_id))
        await context.refresh()
    except DomainError as error:
        if aliases and error.field:
            error.field = [aliases.get(part, part) for part in error.field]
        return build(errors=[user_error(error, build.error_type)])
    except IntegrityError:
        # A uniqueness race that the service's own checks could not see coming.
        conflict = DomainError(
            CoreErrorCode.CONCURRENT_UPDATE, "A concurrent change conflicts with this one; retry."
        )
        return build(errors=[user_error(conflict, build.error_type)])
    return build(**{build.result_field: result, "errors": []})
