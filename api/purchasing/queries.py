"""Purchasing queries."""

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
from api.purchasing.filters import (
    PurchaseOrderFilterInput,
    PurchaseOrderSortInput,
    ReorderRuleFilterInput,
    ReorderRuleSortInput,
    VendorPriceFilterInput,
    VendorPriceSortInput,
    purchase_order_query,
    purchase_order_sort,
    reorder_rule_query,
    reorder_rule_sort,
    vendor_price_query,
    vendor_price_sort,
)
from api.purchasing.types import PurchaseOrder, ReorderRule, VendorPrice
from domain.purchasing import models


@strawberry.type
class PurchasingQuery:
    @strawberry.field(description="Requests for quotation and purchase orders, newest first.")
    async def purchase_orders(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[PurchaseOrderFilterInput | None, FILTER] = None,
        sort_by: Annotated[PurchaseOrderSortInput | None, SORT] = None,
    ) -> Connection[PurchaseOrder]:
        return await root_connection(
            info.context.session,
            purchase_order_query(info, filter),
            purchase_order_sort(sort_by),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="A request for quotation or order by its number, e.g. P00042.")
    async def purchase_order(
        self,
        info: Info,
        name: Annotated[str, strawberry.argument(description="The order number, exactly.")],
    ) -> PurchaseOrder | None:
        query = purchase_order_query(info, None).where(models.PurchaseOrder.name == name)
        return (await info.context.session.scalars(query)).first()

    @strawberry.field(description="Vendor prices, cheapest first by default.")
    async def vendor_prices(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[VendorPriceFilterInput | None, FILTER] = None,
        sort_by: Annotated[VendorPriceSortInput | None, SORT] = None,
    ) -> Connection[VendorPrice]:
        return await root_connection(
            info.context.session,
            vendor_price_query(info, filter),
            vendor_price_sort(sort_by),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="Reorder rules, oldest first by default.")
    async def reorder_rules(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[ReorderRuleFilterInput | None, FILTER] = None,
        sort_by: Annotated[ReorderRuleSortInput | None, SORT] = None,
    ) -> Connection[ReorderRule]:
        return await root_connection(
            info.context.session,
            reorder_rule_query(info, filter),
            reorder_rule_sort(sort_by),
            PageArgs(first, after, last, before),
        )
