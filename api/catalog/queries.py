"""Catalog queries."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.catalog.filters import (
    ProductFilterInput,
    ProductSortInput,
    category_query,
    pricelist_query,
    product_query,
    product_sort,
    tax_query,
)
from api.catalog.types import Pricelist, Product, ProductCategory, Tax
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
    Sort,
    root_connection,
)
from domain.catalog import models


@strawberry.type
class CatalogQuery:
    @strawberry.field(description="The company's products.")
    async def products(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[ProductFilterInput | None, FILTER] = None,
        sort_by: Annotated[ProductSortInput | None, SORT] = None,
    ) -> Connection[Product]:
        return await root_connection(
            info.context.session,
            product_query(info, filter),
            product_sort(sort_by),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="A product by its SKU.")
    async def product_by_sku(
        self,
        info: Info,
        sku: Annotated[str, strawberry.argument(description="The SKU, exactly.")],
    ) -> Product | None:
        query = product_query(info, ProductFilterInput(skus=[sku], active=None))
        return (await info.context.session.scalars(query.limit(1))).first()

    @strawberry.field(description="The company's product categories, by name.")
    async def product_categories(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ProductCategory]:
        sort = Sort(models.ProductCategory.name, models.ProductCategory.id)
        return await root_connection(
            info.context.session, category_query(info), sort, PageArgs(first, after, last, before)
        )

    @strawberry.field(description="The company's taxes, in order of application.")
    async def taxes(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Tax]:
        sort = Sort(models.Tax.sequence, models.Tax.id)
        return await root_connection(
            info.context.session, tax_query(info), sort, PageArgs(first, after, last, before)
        )

    @strawberry.field(description="The company's pricelists, by name.")
    async def pricelists(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Pricelist]:
        sort = Sort(models.Pricelist.name, models.Pricelist.id)
        return await root_connection(
            info.context.session, pricelist_query(info), sort, PageArgs(first, after, last, before)
        )
