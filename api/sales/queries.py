"""Sales queries."""

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
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[SaleOrderFilterInput | None, FILTER] = None,
        sort_by: Annotated[SaleOrderSortInput | None, SORT] = None,
    ) -> Connection[SaleOrder]:
        return await root_connection(
            info.context.session,
            sale_order_query(info, filter),
            sale_order_sort(sort_by),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="A quotation or order by its number, e.g. S00042.")
    async def sale_order(
        self,
        info: Info,
        name: Annotated[str, strawberry.argument(description="The order number, exactly.")],
    ) -> SaleOrder | None:
        query = sale_order_query(info, None).where(models.SaleOrder.name == name)
        return (await info.context.session.scalars(query)).first()
