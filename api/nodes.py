"""`Node` types backed by mapped classes, resolved through the request's loaders."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from sqlalchemy import Select
from strawberry import relay

from api.access import area_read_permission, forbidden, may_read, requires
from api.context import Info
from api.governance.loaders import audit_trail
from api.ids import database_key
from domain.core.db import Base
from domain.core.dispatcher import Permission
from domain.governance.commands import AUDIT_READ

if TYPE_CHECKING:
    from api.governance.types import AuditEvent


@strawberry.interface(
    name="Record",
    description="A stored business record: a node with an audit trail of who changed it.",
)
class ModelNode(relay.Node):
    """A GraphQL type whose objects are rows of `model`; `id` is its opaque global ID.

    Reading it needs its area's read permission (`read_permission` names another); records
    outside the request's company are not found. `visible` narrows records that belong to
    no single company (users, audit events) the same way.
    """

    model: ClassVar[type[Base]]
    read_permission: ClassVar[Permission | None]
    id: relay.NodeID[int]

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, cls.model | cls)

    @classmethod
    def visible(cls, info: Info) -> Select[Any] | None:
        """The records of `model` the request may see, when the loaders' rule is not enough."""
        return None

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        permission = getattr(cls, "read_permission", None) or area_read_permission(cls.model)
        if not may_read(info.context.actor, permission, info.context.company_id):
            raise forbidden(f"Reading a {cls.__name__} needs {permission.name}.", [permission.name])
        keys = []
        for node_id in node_ids:
            try:
                keys.append(database_key(node_id))
            except ValueError:
                keys.append(0)  # found by no lookup
        visible = cls.visible(info)
        if visible is None:
            rows = list(await info.context.loaders.by_id(cls.model).load_many(keys))
        else:
            column = cls.model.id  # type: ignore[attr-defined]
            found = {
                row.id: row
                for row in await info.context.session.scalars(visible.where(column.in_(keys)))
            }
            rows = [found.get(key) for key in keys]
        if required and any(row is None for row in rows):
            raise ValueError(f"No {cls.__name__} with one of the given IDs.")
        return rows

    @strawberry.field(
        description="Who created and changed this record, and with which command; newest first.",
        metadata=requires(AUDIT_READ),
    )
    async def audit_trail(
        self, info: Info, root: strawberry.Parent[Any]
    ) -> list[Annotated[AuditEvent, strawberry.lazy("api.governance.types")]]:
        return await audit_trail(info, type(root).__name__, root.id)


def quantity(value: Decimal) -> Decimal:
    """A quantity without the storage's trailing zeros: 3.000000 reads as 3."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
