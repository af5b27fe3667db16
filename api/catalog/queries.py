"""Catalog queries."""

from __future__ import annotations

import strawberry

from api.catalog.filters import (
    ProductFilterInput,
    ProductSortInput,
    category_query,
    product_query,
    product_sort,
    tax_query,
)
from api.catalog.types import Product, ProductCategory, Tax
from api.context import Info
from api.pagination import Connection, PageArgs, Sort, root_connection
from domain.catalog import models


@strawberry.type
class CatalogQuery:
    @strawberry.field(description="The company's products.")
    async def products(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: ProductFilterInput | None = None,
        sort_by: ProductSortInput | None = None,
    ) -> Connection[Product]:
        return await root_connection(
            info.context.session,
            product_query(info, filter),
            product_sort(sort_by),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="A product by its SKU.")
    async def product_by_sku(self, info: Info, sku: str) -> Product | None:
        query = product_query(info, ProductFilterInput(skus=[sku], active=None))
        return (await info.context.session.scalars(query.limit(1))).first()  # type: ignore[return-value]

    @strawberry.field(description="The company's product categories, by name.")
    async def product_categories(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[ProductCategory]:
        sort = Sort(models.ProductCategory.name, models.ProductCategory.id)
        return await root_connection(
            info.context.session, category_query(info), sort, PageArgs(first, after, last, before)
        )

    @strawberry.field(description="The company's taxes, in order of application.")
    async def taxes(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Tax]:
        sort = Sort(models.Tax.sequence, models.Tax.id)
        return await root_connection(
            info.context.session, tax_query(info), sort, PageArgs(first, after, last, before)
        )
