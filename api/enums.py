"""Domain enums as GraphQL enums, with a description on every value."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import TypeVar

import strawberry

E = TypeVar("E", bound=type[enum.Enum])

#: What the codes every area shares mean.
COMMON_CODES = {
    "INVALID": "A value is not acceptable; the message says why.",
    "NOT_FOUND": "A referenced record does not exist in this company.",
    "REQUIRED": "A required value is missing.",
    "UNIQUE": "Another record already has this value.",
    "CONCURRENT_UPDATE": "Concurrent changes collided too often; retry.",
    "INCOMPATIBLE_UNITS": "The units are of different categories and do not convert.",
    "QUANTITY_PRECISION": "A quantity is finer than its unit's rounding step; it is refused, "
    "never rounded.",
    "INVALID_TRANSITION": "The document's state does not allow this step.",
}


def graphql_enum(domain_enum: E, description: str, values: Mapping[str, str] | None = None) -> E:
    """`domain_enum` exposed as a GraphQL enum; each member described by `values` (or the
    shared error-code descriptions)."""
    exposed = strawberry.enum(domain_enum, description=description)
    definition = exposed.__strawberry_definition__  # type: ignore[attr-defined]
    described = {**COMMON_CODES, **(values or {})}
    for value in definition.values:
        value.description = described.get(value.name)
        if value.description is None:
            raise ValueError(f"{domain_enum.__name__}.{value.name} needs a description")
    return exposed
