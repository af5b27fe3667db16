"""Filter pieces shared by the root lists: ranges and text search."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import strawberry
from graphql import GraphQLError
from sqlalchemy import ColumnElement, Select, or_
from sqlalchemy.orm import InstrumentedAttribute


@strawberry.input(description="Instants between two bounds, both included; either may be left out.")
class DateTimeRangeInput:
    gte: dt.datetime | None = strawberry.field(default=None, description="From this instant on.")
    lte: dt.datetime | None = strawberry.field(default=None, description="Up to this instant.")


@strawberry.input(description="Dates between two bounds, both included; either may be left out.")
class DateRangeInput:
    gte: dt.date | None = strawberry.field(default=None, description="From this date on.")
    lte: dt.date | None = strawberry.field(default=None, description="Up to this date.")


@strawberry.input(description="Numbers between two bounds, both included; either may be left out.")
class DecimalRangeInput:
    gte: Decimal | None = strawberry.field(default=None, description="At least this.")
    lte: Decimal | None = strawberry.field(default=None, description="At most this.")


def in_range(
    query: Select[Any],
    column: InstrumentedAttribute[Any],
    bounds: DateTimeRangeInput | DateRangeInput | DecimalRangeInput | None,
) -> Select[Any]:
    if bounds is None:
        return query
    if bounds.gte is not None:
        query = query.where(column >= bounds.gte)
    if bounds.lte is not None:
        query = query.where(column <= bounds.lte)
    return query


def text_search(
    text: str | None, *columns: InstrumentedAttribute[Any]
) -> list[ColumnElement[bool]]:
    """Case-insensitive containment of `text` in any of `columns`; nothing when empty."""
    if not text or not text.strip():
        return []
    if "\x00" in text:
        raise GraphQLError(
            "The search text may not contain NUL characters.", extensions={"code": "INVALID"}
        )
    escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return [or_(*(column.ilike(pattern, escape="\\") for column in columns))]
