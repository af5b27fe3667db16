"""GraphQL enums over domain enums, with a description on every value."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import TypeVar

import strawberry

E = TypeVar("E", bound=type[enum.Enum])


def described_enum(cls: E, description: str, values: Mapping[str, str]) -> E:
    """`cls` as a GraphQL enum; `values` describes each member by name, and must cover all."""
    missing = set(cls.__members__) - set(values)
    if missing:
        raise ValueError(f"{cls.__name__} values without description: {sorted(missing)}")
    wrapped = strawberry.enum(cls, description=description)
    for value in wrapped.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = values[value.name]
    return wrapped
