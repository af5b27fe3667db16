"""Domain errors as the API shows them, mapped in this one place: user errors in mutation
payloads, request errors of queries."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar, TypeVar

import strawberry
from graphql import GraphQLError
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
