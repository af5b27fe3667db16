"""Relay connections with keyset cursors, for root lists and batched nested lists.

A cursor holds the sort value and the primary key of its row, so pages stay stable when rows
are inserted before them. Nested connections (`partner.orders`) load the pages of all their
parents in one statement with `row_number() OVER (PARTITION BY parent ...)`, and their counts
in one more, whatever the number of parents.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import json
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from graphql import GraphQLError
from sqlalchemy import ColumnElement, Select, TypeDecorator, func, literal, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, aliased
from strawberry import relay
from strawberry.dataloader import DataLoader

from api.context import Info, ReadSession
from api.ids import MAX_KEY, database_key
from domain.core.models import storable

DEFAULT_PAGE = 20
MAX_PAGE = 100
NodeType = TypeVar("NodeType")
T = TypeVar("T")


@strawberry.enum(description="Order of a sorted list.")
class SortDirection(enum.Enum):
    ASC = strawberry.enum_value("asc", description="Smallest first.")
    DESC = strawberry.enum_value("desc", description="Largest first.")


@strawberry.type(description="A record in a connection, with the cursor that points at it.")
class Edge(Generic[NodeType]):
    cursor: str = strawberry.field(description="Pass as `after` or `before` to page from here.")
    node: NodeType = strawberry.field(description="The record.")


@strawberry.type(description="A page of a list, and how to reach the pages around it.")
class Connection(Generic[NodeType]):
    edges: list[Edge[NodeType]] = strawberry.field(description="The records of this page.")
    page_info: relay.PageInfo = strawberry.field(description="Where this page lies in the list.")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many records match, across all pages.")
    async def total_count(self) -> int:
        return await self.count()


def page_size_error(name: str, size: int) -> str | None:
    """Why `size` cannot be the page size `name` (`first` or `last`), or None."""
    if 0 <= size <= MAX_PAGE:
        return None
    return f"`{name}` must lie between 0 and {MAX_PAGE}; {size} was given."


@dataclass(frozen=True)
class PageArgs:
    """`first/after/last/before` as given, checked."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    def __post_init__(self) -> None:
        if self.first is not None and self.last is not None:
            raise GraphQLError("Pass `first` or `last`, not both.")
        for name in ("first", "last"):
            size = getattr(self, name)
            if size is not None and (error := page_size_error(name, size)):
                raise GraphQLError(error)

    @property
    def backward(self) -> bool:
        return self.last is not None

    @property
    def size(self) -> int:
        if self.last is not None:
            return self.last
        return DEFAULT_PAGE if self.first is None else self.first


@dataclass(frozen=True)
class Sort:
    """Sort by `column`, ties broken by `key` (the primary key) in the same direction."""

    column: InstrumentedAttribute[Any]
    key: InstrumentedAttribute[Any]
    descending: bool = False


def _dump(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _load(value: Any, column: InstrumentedAttribute[Any]) -> Any:
    """`value` read back from a cursor as the type of `column`; a `ValueError` or
    `TypeError` when it is of another type or out of the column's range."""
    column_type = column.type
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl_instance
    python_type = column_type.python_type
    if isinstance(python_type, type) and issubclass(python_type, enum.Enum):
        return python_type(value)
    if python_type is int:
        return _integer(value)
    if not isinstance(value, str) or "\x00" in value:
        raise TypeError(value)
    if python_type is dt.datetime:
        instant = dt.datetime.fromisoformat(value)
        if instant.tzinfo is None:
            raise ValueError(value)
        return instant
    if python_type is dt.date:
        return dt.date.fromisoformat(value)
    if python_type is Decimal:
        number = Decimal(value)
        if not storable(number):
            raise ValueError(value)
        return number
    if python_type is str:
        return value
    raise TypeError(value)


def _integer(value: Any) -> int:
    """`value` if it is an integer a signed 64-bit column holds."""
    if not isinstance(value, int) or isinstance(value, bool) or not -MAX_KEY <= value <= MAX_KEY:
        raise TypeError(value)
    return value


def pack_cursor(values: Sequence[Any]) -> str:
    """An opaque cursor holding `values` (dates, decimals, enums, numbers, strings)."""
    packed = json.dumps([_dump(value) for value in values])
    return base64.urlsafe_b64encode(packed.encode()).decode()


def unpack_cursor(cursor: str, parse: Callable[[list[Any]], T]) -> T:
    """What `parse` makes of the values packed in `cursor`; a request error if it fails."""
    try:
        return parse(json.loads(base64.urlsafe_b64decode(cursor.encode())))
    except (ValueError, TypeError, ArithmeticError, RecursionError) as error:
        raise GraphQLError(f"The cursor {cursor!r} is not valid for this list.") from error


def encode_cursor(row: Any, sort: Sort) -> str:
    return pack_cursor([getattr(row, sort.column.key), getattr(row, sort.key.key)])


def decode_cursor(cursor: str, sort: Sort) -> tuple[Any, Any]:
    def parse(values: list[Any]) -> tuple[Any, Any]:
        if not isinstance(values, list):
            raise TypeError(values)
        value, key = values
        return _load(value, sort.column), database_key(key)

    return unpack_cursor(cursor, parse)


def _bound(sort: Sort, cursor: str, *, later: bool) -> ColumnElement[bool]:
    """Rows after (`later`) or before the cursor, in the list's order."""
    value, key = decode_cursor(cursor, sort)
    row = tuple_(sort.column, sort.key)
    # Bound as the columns' own types, so enums, instants and decimals compare as stored.
    bound = tuple_(literal(value, sort.column.type), literal(key, sort.key.type))
    return (row > bound) if later != sort.descending else (row < bound)


def _conditions(sort: Sort, args: PageArgs) -> list[ColumnElement[bool]]:
    conditions = []
    if args.after:
        conditions.append(_bound(sort, args.after, later=True))
    if args.before:
        conditions.append(_bound(sort, args.before, later=False))
    return conditions


def _ordering(sort: Sort, args: PageArgs) -> list[Any]:
    descending = sort.descending != args.backward
    return [column.desc() if descending else column.asc() for column in (sort.column, sort.key)]


def page_connection(
    rows: Sequence[Any],
    args: PageArgs,
    count: Callable[[], Awaitable[int]],
    cursor: Callable[[Any], str],
) -> Connection[Any]:
    """The page of `rows`, read in the page's direction with one row more than asked for
    (which tells whether more follow); `cursor` gives each row's cursor."""
    more = len(rows) > args.size
    page = list(rows[: args.size])
    if args.backward:
        page.reverse()
    edges = [Edge(cursor=cursor(row), node=row) for row in page]
    return Connection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=more if not args.backward else bool(args.before),
            has_previous_page=more if args.backward else bool(args.after),
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        count=count,
    )


async def root_connection(
    session: ReadSession, query: Select[Any], sort: Sort, args: PageArgs
) -> Connection[Any]:
    """One page of `query` (a filtered `select(Model)`), sorted by `sort`."""
    page_query = query.where(*_conditions(sort, args)).order_by(*_ordering(sort, args))
    rows = (await session.scalars(page_query.limit(args.size + 1))).all()

    async def count() -> int:
        counted = select(func.count()).select_from(query.order_by(None).subquery())
        return int(await session.scalar(counted) or 0)

    return page_connection(rows, args, count, lambda row: encode_cursor(row, sort))


@dataclass(frozen=True)
class ChildList:
    """A nested list: the rows of `query` whose `parent` column points at a given record."""

    parent: InstrumentedAttribute[Any]
    query: Select[Any]
    sort: Sort
    args: PageArgs
    #: What makes two requests for children of different parents share one batch.
    key: Hashable


async def child_connection(info: Info, children: ChildList, parent_id: int) -> Connection[Any]:
    """The page of `children` under `parent_id`, batched with the other parents' pages."""
    loaders = info.context.loaders
    pages = loaders.get(("page", children.key), lambda: _page_loader(info, children))
    counts = loaders.get(("count", children.key), lambda: _count_loader(info, children))
    rows = await pages.load(parent_id)
    return page_connection(
        rows,
        children.args,
        lambda: counts.load(parent_id),
        lambda row: encode_cursor(row, children.sort),
    )


def _page_loader(info: Info, children: ChildList) -> DataLoader[int, list[Any]]:
    sort, args = children.sort, children.args

    async def load(parent_ids: Sequence[int]) -> list[list[Any]]:
        number = (
            func.row_number()
            .over(partition_by=children.parent, order_by=_ordering(sort, args))
            .label("row_number")
        )
        ranked = (
            children.query.add_columns(number)
            .where(children.parent.in_(parent_ids), *_conditions(sort, args))
            .subquery()
        )
        model = children.query.column_descriptions[0]["entity"]
        row = aliased(model, ranked)
        result = await info.context.session.execute(
            select(row).where(ranked.c.row_number <= args.size + 1).order_by(ranked.c.row_number)
        )
        grouped: dict[int, list[Any]] = {parent_id: [] for parent_id in parent_ids}
        for record in result.scalars():
            grouped[getattr(record, children.parent.key)].append(record)
        return [grouped[parent_id] for parent_id in parent_ids]

    return DataLoader(load_fn=load)


def _count_loader(info: Info, children: ChildList) -> DataLoader[int, int]:
    async def load(parent_ids: Sequence[int]) -> list[int]:
        counted = (
            children.query.with_only_columns(children.parent, func.count())
            .where(children.parent.in_(parent_ids))
            .group_by(children.parent)
            .order_by(None)
        )
        totals = {parent: total for parent, total in await info.context.session.execute(counted)}
        return [int(totals.get(parent_id, 0)) for parent_id in parent_ids]

    return DataLoader(load_fn=load)


# Arguments every list and mutation shares, described once.
First = Annotated[
    int | None,
    strawberry.argument(description="Return the first n records (default 20, at most 100)."),
]
After = Annotated[str | None, strawberry.argument(description="Return records after this cursor.")]
Last = Annotated[
    int | None, strawberry.argument(description="Return the last n records (at most 100).")
]
Before = Annotated[
    str | None, strawberry.argument(description="Return records before this cursor.")
]
FILTER = strawberry.argument(description="Only records matching every given condition.")
SORT = strawberry.argument(description="Sort order; ties are broken by creation order.")
