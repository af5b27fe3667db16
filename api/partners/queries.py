"""Partner queries."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.pagination import Connection, PageArgs, root_connection
from api.partners.filters import PartnerFilterInput, PartnerSortInput, partner_query, partner_sort
from api.partners.types import Partner


@strawberry.type
class PartnerQuery:
    @strawberry.field(description="Customers, vendors, contacts and addresses of the company.")
    async def partners(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: PartnerFilterInput | None = None,
        sort_by: PartnerSortInput | None = None,
    ) -> Connection[Partner]:
        return await root_connection(
            info.context.session,
            partner_query(info, filter),
            partner_sort(sort_by),
            PageArgs(first, after, last, before),
        )
