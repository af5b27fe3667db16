"""Running a mutation: one command through the dispatcher, a payload either way."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar

import strawberry
from sqlalchemy.exc import DataError, IntegrityError

from api.access import forbidden
from api.context import Info
from api.errors import VALUE_NOT_STORABLE, UserError, user_error
from api.ids import decode_id
from domain.core.actors import ANONYMOUS
from domain.core.dispatcher import Command, Forbidden, Step, dispatch
from domain.core.errors import CoreErrorCode, DomainError


class Payload:
    """What a mutation answers: its one result field, then `errors` of the area's error type.

    A payload names the area's error type and declares only its result, which comes first in
    the schema: `class ProductPayload(Payload, error=CatalogError): product: Product | None`.
    """

    result_field: ClassVar[str]
    error_type: ClassVar[type[UserError]]

    def __init_subclass__(cls, *, error: type[UserError], **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        annotations = inspect.get_annotations(cls)
        [cls.result_field] = annotations
        cls.error_type = error
        cls.__annotations__ = {**annotations, "errors": list[error]}  # type: ignore[valid-type]
        cls.errors = strawberry.field(  # type: ignore[attr-defined]
            default_factory=list, description="Why nothing changed; empty on success."
        )


P = TypeVar("P", bound=Payload)


async def run(
    info: Info,
    payload: type[P],
    command: Callable[[int], Command[Any]],
    *,
    aliases: Mapping[str, str] | None = None,
    present: Callable[[Any], Any] | None = None,
) -> P:
    """Dispatch `command(company_id)` for the caller; map its result or error to `payload`.

    The command is built inside, so an input the resolver cannot parse (a malformed ID) is a
    payload error like any other. `aliases` renames domain field names the input calls
    otherwise (`list_price` → `sale_price`); `present` turns the command's result into the
    payload's field when it is not a record.
    """
    context = info.context
    build: Any = payload  # a strawberry type: its fields are the subclass's
    try:
        result = await dispatch(
            context.sessions,
            command(context.company_id),
            context.actor or ANONYMOUS,
            request_id=context.request_id,
        )
        await context.refresh()
    except Forbidden as error:
        raise forbidden(error.message, []) from error
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
    if present is not None:
        result = present(result)
    return build(**{build.result_field: result, "errors": []})


async def step(
    info: Info, payload: type[P], command: type[Step[Any]], id: str, node_type: str
) -> P:
    """A workflow step taking nothing but the record: its global ID of `node_type`."""
    return await run(
        info,
        payload,
        lambda company_id: command(company_id=company_id, id=decode_id(id, node_type, "id")),
    )


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
