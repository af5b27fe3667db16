"""User errors in mutation payloads, mapped from domain errors in this one place."""

from __future__ import annotations

import enum
from typing import ClassVar, TypeVar

import strawberry
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
    field = [to_camel_case(part) for part in error.field] if error.field else None
    return error_type(field=field, message=error.message, code=code)  # type: ignore[call-arg]
