"""Domain errors as the API shows them, mapped in this one place: user errors in mutation
payloads, request errors of queries."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ClassVar, TypeVar

import strawberry
import structlog
from graphql import GraphQLError
from sqlalchemy.exc import DataError
from strawberry import relay
from strawberry.utils.str_converters import to_camel_case

from domain.core.errors import DomainError


@strawberry.interface(
    description="Why a mutation refused its input. A payload with errors changed nothing."
)
class UserError:
    field: list[str] | None = strawberry.field(
        description='Path to the input field at fault, e.g. `["lines", "2", "quantity"]`.'
    )
    message: str = strawberry.field(description="What went wrong, for a person to read.")
    #: The area's code enum; every area's enum has INVALID, NOT_FOUND and CONCURRENT_UPDATE.
    codes: ClassVar[type[enum.Enum]]


E = TypeVar("E", bound=UserError)


def user_error(error: DomainError, error_type: type[E]) -> E:
    """`error` as the payload's error type; codes of another area map by name."""
    codes = error_type.codes.__members__
    code = codes.get(error.code.name, codes["INVALID"])
    return error_type(field=_field(error), message=error.message, code=code)  # type: ignore[call-arg]


def _field(error: DomainError) -> list[str] | None:
    return [to_camel_case(part) for part in error.field] if error.field else None


@contextmanager
def query_errors() -> Iterator[None]:
    """A query has no payload: a `DomainError` (a refused argument) becomes a request error
    with the message, and the code and the argument's path in its `extensions`."""
    try:
        yield
    except DomainError as error:
        raise GraphQLError(
            error.message, extensions={"code": error.code.name, "field": _field(error)}
        ) from error


#: What a caller learns of a value the database refused (too long, too large, a NUL character).
VALUE_NOT_STORABLE = "A value is too long, too large or not allowed for its field."
#: The request being answered, as the edge names it (`X-Request-Id`) in logs and answers.
REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="-")
log = structlog.get_logger(__name__)


def internal_error() -> dict[str, Any]:
    """What a caller sees of a failure that is ours, not theirs: a reference, nothing more."""
    request_id = REQUEST_ID.get()
    return {
        "message": f"Internal error; quote reference {request_id} when reporting it.",
        "extensions": {"code": "INTERNAL_ERROR", "requestId": request_id},
    }


def _is_refusal(error: GraphQLError) -> bool:
    """Whether `error` refuses the request (a bad document, variable or argument) rather
    than reports a failure of ours."""
    original = error.original_error
    return (
        original is None
        or isinstance(original, GraphQLError | DomainError | relay.GlobalIDValueError)
        # A scalar refusing a value while graphql-core coerces a variable or a literal.
        or (
            isinstance(original, ValueError | TypeError)
            and error.path is None
            and bool(error.nodes)
        )
    )


def report_errors(errors: list[GraphQLError]) -> None:
    """Log each error of an answer once, and make any that is not a refusal generic: a
    refusal is one line, a failure its traceback under the request's reference."""
    for error in errors:
        if isinstance(error.original_error, DataError):
            # A value the column cannot hold, found by the database: the caller's to fix.
            error.message = VALUE_NOT_STORABLE
            error.extensions = {"code": "INVALID"}
            error.original_error = None
        if _is_refusal(error):
            log.info("graphql.refused", error=error.message, path=error.path)
            continue
        failure = error.original_error
        log.error(
            "graphql.failed",
            request_id=REQUEST_ID.get(),
            path=error.path,
            exc_info=(type(failure), failure, failure.__traceback__) if failure else None,
        )
        masked = internal_error()
        error.message = masked["message"]
        error.extensions = masked["extensions"]
        error.original_error = None
