"""Scalars the schema defines itself."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import strawberry
from strawberry.types.scalar import ScalarDefinition

from domain.core.models import storable


def parse_decimal(value: object) -> Decimal:
    """A decimal given as a string or a number: finite, and small enough to be stored."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a decimal number.") from None
    if not storable(number):
        raise ValueError(f"{value!r} is not a finite decimal below 10^14.")
    return number


DECIMAL: ScalarDefinition = strawberry.scalar(
    name="Decimal",
    description='A decimal number as a string, e.g. "230.00": exact, never a float; finite '
    "and below 10^14 in size.",
    serialize=str,
    parse_value=parse_decimal,
)
