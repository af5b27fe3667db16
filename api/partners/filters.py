"""Filtering and sorting the partner list."""

from __future__ import annotations

import enum
from typing import Any

import strawberry
from sqlalchemy import Select

from api.context import Info
from api.filters import text_search
from api.ids import decode_id, decode_ids
from api.pagination import Sort, SortDirection
from domain.core.records import scoped
from domain.partners.models import Partner


@strawberry.input(description="Which partners to list; all given conditions must hold.")
class PartnerFilterInput:
    search: str | None = strawberry.field(
        default=None, description="Text contained in the name, e-mail, phone or VAT number."
    )
    ids: list[strawberry.ID] | None = strawberry.field(default=None, description="Only these.")
    is_customer: bool | None = strawberry.field(
        default=None, description="Customers only (or not)."
    )
    is_vendor: bool | None = strawberry.field(default=None, description="Vendors only (or not).")
    is_company: bool | None = strawberry.field(
        default=None, description="Companies only (or people)."
    )
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="Contacts and addresses of this company."
    )
    active: bool | None = strawberry.field(
        default=True, description="Active partners by default; false lists archived ones."
    )


@strawberry.enum(description="What the partner list can be sorted by.")
class PartnerSortField(enum.Enum):
    NAME = strawberry.enum_value("name", description="Name, alphabetically.")
    CREATED_AT = strawberry.enum_value("created_at", description="Creation instant.")


@strawberry.input(description="Sort order of the partner list.")
class PartnerSortInput:
    field: PartnerSortField = strawberry.field(description="What to sort by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="Ascending or descending."
    )


def partner_sort(sort_by: PartnerSortInput | None) -> Sort:
    sort_by = sort_by or PartnerSortInput(field=PartnerSortField.NAME)
    column = {PartnerSortField.NAME: Partner.name, PartnerSortField.CREATED_AT: Partner.created_at}[
        sort_by.field
    ]
    return Sort(column, Partner.id, descending=sort_by.direction is SortDirection.DESC)


def partner_query(info: Info, where: PartnerFilterInput | None) -> Select[Any]:
    query = scoped(Partner, [info.context.company_id])
    where = where or PartnerFilterInput()
    query = query.where(
        *text_search(where.search, Partner.name, Partner.email, Partner.phone, Partner.vat)
    )
    if where.ids is not None:
        query = query.where(Partner.id.in_(decode_ids(where.ids, "Partner", "ids")))
    if where.parent_id is not None:
        query = query.where(Partner.parent_id == decode_id(where.parent_id, "Partner", "parent_id"))
    for flag in ("is_customer", "is_vendor", "is_company", "active"):
        value = getattr(where, flag)
        if value is not None:
            query = query.where(getattr(Partner, flag).is_(value))
    return query
