"""Partner queries."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.context import Info
from api.pagination import (
    FILTER,
    SORT,
    After,
    Before,
    Connection,
    First,
    Last,
    PageArgs,
    root_connection,
)
from api.partners.filters import PartnerFilterInput, PartnerSortInput, partner_query, partner_sort
from api.partners.types import Partner


@strawberry.type
class PartnerQuery:
    @strawberry.field(description="Customers, vendors, contacts and addresses of the company.")
    async def partners(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[PartnerFilterInput | None, FILTER] = None,
        sort_by: Annotated[PartnerSortInput | None, SORT] = None,
    ) -> Connection[Partner]:
        return await root_connection(
            info.context.session,
            partner_query(info, filter),
            partner_sort(sort_by),
            PageArgs(first, after, last, before),
        )
