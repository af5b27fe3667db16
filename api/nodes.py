"""`Node` types backed by mapped classes, resolved through the request's loaders."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, ClassVar

from strawberry import relay

from api.context import Info
from api.ids import database_key
from domain.core.db import Base


class ModelNode(relay.Node):
    """A GraphQL type whose objects are rows of `model`; `id` is its opaque global ID."""

    model: ClassVar[type[Base]]
    id: relay.NodeID[int]

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, cls.model | cls)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        keys = []
        for node_id in node_ids:
            try:
                keys.append(database_key(node_id))
            except ValueError:
                keys.append(0)  # found by no lookup
        rows = await info.context.loaders.by_id(cls.model).load_many(keys)
        if required and any(row is None for row in rows):
            raise ValueError(f"No {cls.__name__} with one of the given IDs.")
        return list(rows)


def quantity(value: Decimal) -> Decimal:
    """A quantity without the storage's trailing zeros: 3.000000 reads as 3."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
