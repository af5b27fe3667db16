"""Origins: where a document made for another area's document came from, as Tryton's `origin`.

A delivery made for a sales order, or an invoice line for a sales order line, records that
document as an `Origin` (kind + ID). The area that stores it (inventory, accounting) neither
imports nor names the area behind it: kinds are strings the upper area owns (sales declares
`"sale.order"` and `"sale.line"`), and the upper area follows the lower one's events, which
echo the origins, filtered on its own kinds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Index, String, and_
from sqlalchemy.orm import Mapped, composite, declared_attr, mapped_column


@dataclass(frozen=True)
class Origin:
    """A document of another area: its kind (e.g. `"sale.order"`) and its ID there."""

    kind: str
    id: int

    def __composite_values__(self) -> tuple[str, int]:
        return (self.kind, self.id)


def _origin(kind: str | None, id: int | None) -> Origin | None:
    """The origin stored in the columns; None when they are empty."""
    return None if kind is None or id is None else Origin(kind, id)


class HasOrigin:
    """A mapped class whose rows may come from another area's document.

    The pair is stored as `origin_kind` and `origin_id`, without a foreign key (it points
    into another area, of any kind) and read and written as `origin`. Each table indexes the
    pair with `origin_index`.
    """

    origin_kind: Mapped[str | None] = mapped_column(String(32))
    origin_id: Mapped[int | None]

    @declared_attr
    def origin(cls) -> Mapped[Origin | None]:
        return composite(_origin, "origin_kind", "origin_id")

    @classmethod
    def of_origin(cls, kind: str, ids: Any) -> ColumnElement[bool]:
        """The condition selecting rows whose origin is of `kind` with an ID among `ids`."""
        return and_(cls.origin_kind == kind, cls.origin_id.in_(ids))


def origin_index(table: str) -> Index:
    """The index of a table's origin pair, for `__table_args__`."""
    return Index(f"ix_{table}_origin", "origin_kind", "origin_id")
