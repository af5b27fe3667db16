"""Request-scoped DataLoaders: every relationship in the graph loads through one of these.

Loaders are created on first use and keyed by what they load, so each relationship costs one
statement per request level however many rows ask for it. Company-owned records are only
ever loaded within the request's company.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Table, select
from sqlalchemy.orm import InstrumentedAttribute
from strawberry.dataloader import DataLoader

from domain.core.db import Base, CompanyOwned, OwnedThrough
from domain.core.origins import HasOrigin

if TYPE_CHECKING:
    from api.context import Context

M = TypeVar("M", bound=Base)
L = TypeVar("L", bound=DataLoader[Any, Any])
K = TypeVar("K")
V = TypeVar("V")


def grouped(pairs: Iterable[tuple[K, V]], keys: Sequence[K]) -> list[list[V]]:
    """The values of `(key, value)` pairs listed per key, in the order of `keys`: what a
    loader of lists answers."""
    groups: dict[K, list[V]] = defaultdict(list)
    for key, value in pairs:
        groups[key].append(value)
    return [groups[key] for key in keys]


class Loaders:
    """The request's loaders, created on demand."""

    def __init__(self) -> None:
        self._loaders: dict[Hashable, DataLoader[Any, Any]] = {}
        self.context: Context

    def clear(self) -> None:
        """Forget every loaded record, e.g. after a mutation changed them."""
        self._loaders.clear()

    def get(self, key: Hashable, factory: Callable[[], L]) -> L:
        if key not in self._loaders:
            self._loaders[key] = factory()
        return self._loaders[key]  # type: ignore[return-value]

    def by_id(self, model: type[M]) -> DataLoader[int, M | None]:
        """Records of `model` by primary key; None for missing or other companies' ones."""

        async def load(ids: Sequence[int]) -> list[M | None]:
            query = select(model).where(model.id.in_(ids))  # type: ignore[attr-defined]
            if issubclass(model, CompanyOwned):
                query = query.where(model.company_id == self.context.company_id)
            elif issubclass(model, OwnedThrough):
                column, owner = model.owner
                query = query.join(owner, owner.id == getattr(model, column)).where(
                    owner.company_id == self.context.company_id
                )
            found = {row.id: row for row in await self.context.session.scalars(query)}
            return [found.get(record_id) for record_id in ids]

        return self.get(("id", model), lambda: DataLoader(load_fn=load))

    async def one(self, model: type[M], record_id: int | None) -> Any:
        """The record `record_id` of `model` through `by_id`; None for a null reference."""
        if record_id is None:
            return None
        return await self.by_id(model).load(record_id)

    def by_parent(
        self, parent: InstrumentedAttribute[Any], *order_by: InstrumentedAttribute[Any]
    ) -> DataLoader[int, list[Any]]:
        """All rows whose `parent` column points at a key: small lists such as order lines."""
        model = parent.class_

        async def load(keys: Sequence[int]) -> list[list[Any]]:
            rows = await self.context.session.scalars(
                select(model).where(parent.in_(keys)).order_by(*order_by)
            )
            return grouped(((getattr(row, parent.key), row) for row in rows), keys)

        return self.get(("parent", parent, order_by), lambda: DataLoader(load_fn=load))

    def by_origin(
        self, model: type[HasOrigin], kind: str, *order_by: InstrumentedAttribute[Any]
    ) -> DataLoader[int, list[Any]]:
        """All rows of `model` made for a document of `kind`, by the document's ID: e.g. the
        pickings of sales orders."""

        async def load(keys: Sequence[int]) -> list[list[Any]]:
            query = select(model).where(model.of_origin(kind, keys)).order_by(*order_by)
            if issubclass(model, CompanyOwned):
                query = query.where(model.company_id == self.context.company_id)
            rows = await self.context.session.scalars(query)
            return grouped(((row.origin_id, row) for row in rows), keys)

        return self.get(("origin", model, kind, order_by), lambda: DataLoader(load_fn=load))

    def linked(
        self, table: Table, left: str, right: str, model: type[M], *order_by: Any
    ) -> DataLoader[int, list[M]]:
        """Rows of `model` linked through the association `table` (`left` → `right`)."""

        async def load(keys: Sequence[int]) -> list[list[M]]:
            rows = await self.context.session.execute(
                select(table.c[left], model)
                .join(model, model.id == table.c[right])  # type: ignore[attr-defined]
                .where(table.c[left].in_(keys))
                .order_by(*order_by)
            )
            return grouped(rows, keys)

        return self.get(("linked", table.name, left, model), lambda: DataLoader(load_fn=load))
