"""Running a mutation: one Unit of Work, one domain service, a payload either way."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from sqlalchemy.exc import DataError, IntegrityError

from api.context import Info
from api.errors import VALUE_NOT_STORABLE, user_error
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
    except IntegrityError as error:
        return build(errors=[user_error(integrity_error(error), build.error_type)])
    except (DataError, ArithmeticError):
        # A value the services let through but the column cannot hold (too long, too large,
        # a NUL character), or an amount computed from such values (10^13 × 10^13) that
        # overflows the decimal context: refused like any other invalid input, without the
        # SQL or the exception.
        refused = DomainError(CoreErrorCode.INVALID, VALUE_NOT_STORABLE)
        return build(errors=[user_error(refused, build.error_type)])
    return build(**{build.result_field: result, "errors": []})


#: What a constraint the services' own checks could not see coming (a concurrent change
#: slipped between check and write) means to the caller, by SQLSTATE (PostgreSQL) or by the
#: message's start (SQLite).
CONSTRAINTS: tuple[tuple[str, str, CoreErrorCode, str], ...] = (
    ("23505", "UNIQUE", CoreErrorCode.UNIQUE, "A record with these values was just created."),
    ("23503", "FOREIGN KEY", CoreErrorCode.NOT_FOUND, "A record it refers to was just removed."),
    ("23502", "NOT NULL", CoreErrorCode.REQUIRED, "A required value is missing."),
    ("23514", "CHECK", CoreErrorCode.INVALID, "A value breaks a rule of the database."),
)


def integrity_error(error: IntegrityError) -> DomainError:
    """The typed error for a violated database constraint."""
    sqlstate = getattr(error.orig, "sqlstate", None)
    text = str(error.orig)
    for state, prefix, code, message in CONSTRAINTS:
        if sqlstate == state or text.startswith(f"{prefix} constraint failed"):
            return DomainError(code, message)
    return DomainError(
        CoreErrorCode.CONCURRENT_UPDATE, "A concurrent change conflicts with this one; retry."
    )
