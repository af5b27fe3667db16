"""Sales queries."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.pagination import Connection, PageArgs, root_connection
from api.sales.filters import (
    SaleOrderFilterInput,
    SaleOrderSortInput,
    sale_order_query,
    sale_order_sort,
)
from api.sales.types import SaleOrder
from domain.sales import models


@strawberry.type
class SalesQuery:
    @strawberry.field(description="Quotations and sales orders, newest first by default.")
    async def sale_orders(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: SaleOrderFilterInput | None = None,
        sort_by: SaleOrderSortInput | None = None,
    ) -> Connection[SaleOrder]:
        return await root_connection(
            info.context.session,
            sale_order_query(info, filter),
            sale_order_sort(sort_by),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="A quotation or order by its number, e.g. S00042.")
    async def sale_order(self, info: Info, name: str) -> SaleOrder | None:
        query = sale_order_query(info, None).where(models.SaleOrder.name == name)
        return (await info.context.session.scalars(query)).first()  # type: ignore[return-value]
