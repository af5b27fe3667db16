"""Scalars the schema defines itself."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import strawberry
from graphql import FloatValueNode, IntValueNode, StringValueNode, ValueNode
from strawberry.types.scalar import ScalarDefinition

from domain.core.models import storable

#: A decimal as people and programs write it: ASCII digits, an optional sign, point and
#: exponent; no spaces, digit separators or digits of other scripts.
DECIMAL_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


class JsonNumber(float):
    """A JSON number with a fraction or an exponent, as the request decodes it: a float for
    GraphQL's own scalars, and its text as written for `Decimal`, so 1e-400 is not 0."""

    text: str

    def __new__(cls, text: str) -> JsonNumber:
        number = super().__new__(cls, text)
        number.text = text
        return number


def parse_decimal(value: object) -> Decimal:
    """A decimal given as a string or a number: finite, and small enough to be stored."""
    numeric = isinstance(value, str | int | float) and not isinstance(value, bool)
    text = value.text if isinstance(value, JsonNumber) else str(value) if numeric else ""
    if not DECIMAL_TEXT.fullmatch(text):
        raise ValueError(f"{value!r} is not a decimal number.")
    number = Decimal(text)
    if not storable(number):
        raise ValueError(f"{value!r} is not a finite decimal below 10^14.")
    return number


def parse_decimal_literal(node: ValueNode, _variables: dict[str, Any] | None = None) -> Decimal:
    """A decimal written in the query: its text exactly as written, never through a float."""
    if not isinstance(node, StringValueNode | IntValueNode | FloatValueNode):
        raise ValueError("A decimal is a string or a number.")
    return parse_decimal(node.value)


DECIMAL: ScalarDefinition = strawberry.scalar(
    name="Decimal",
    description='A decimal number as a string, e.g. "230.00": exact, never a float; ASCII '
    "digits with an optional sign, point and exponent, nothing around them; finite and "
    "below 10^14 in size.",
    serialize=str,
    parse_value=parse_decimal,
    parse_literal=parse_decimal_literal,
)


def parse_instant(value: object) -> dt.datetime:
    """An ISO 8601 instant with its offset (`Z` or `+02:00`); one without names no instant."""
    if not isinstance(value, str):
        raise ValueError("An instant is an ISO 8601 string, e.g. 2026-03-01T09:30:00Z.")
    try:
        instant = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 instant.") from None
    if instant.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone: add Z or an offset such as +01:00.")
    return instant


def parse_instant_literal(node: ValueNode, _variables: dict[str, Any] | None = None) -> dt.datetime:
    if not isinstance(node, StringValueNode):
        raise ValueError("An instant is an ISO 8601 string, e.g. 2026-03-01T09:30:00Z.")
    return parse_instant(node.value)


DATETIME: ScalarDefinition = strawberry.scalar(
    name="DateTime",
    description="An instant: an ISO 8601 date and time with its time zone, e.g. "
    '"2026-03-01T09:30:00Z" or "2026-03-01T10:30:00+01:00"; one without a time zone is '
    "refused.",
    serialize=lambda value: value.isoformat(),
    parse_value=parse_instant,
    parse_literal=parse_instant_literal,
)
