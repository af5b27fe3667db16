"""Filtering and sorting products."""

from __future__ import annotations

import enum
from typing import Any

import strawberry
from sqlalchemy import Select

from api.catalog.enums import ProductType
from api.context import Info
from api.filters import DecimalRangeInput, in_range, text_search
from api.ids import decode_id, decode_ids
from api.pagination import Sort, SortDirection
from domain.catalog.models import Pricelist, Product, ProductCategory, Tax
from domain.core.records import scoped


@strawberry.input(description="Which products to list; all given conditions must hold.")
class ProductFilterInput:
    search: str | None = strawberry.field(
        default=None, description="Text contained in the name, SKU or barcode."
    )
    ids: list[strawberry.ID] | None = strawberry.field(default=None, description="Only these.")
    skus: list[str] | None = strawberry.field(default=None, description="Only these SKUs.")
    type: list[ProductType] | None = strawberry.field(default=None, description="Of these types.")
    category_id: strawberry.ID | None = strawberry.field(
        default=None, description="In this category."
    )
    sale_price: DecimalRangeInput | None = strawberry.field(
        default=None, description="Price range."
    )
    published: bool | None = strawberry.field(default=None, description="Published (or not).")
    active: bool | None = strawberry.field(
        default=True, description="Active products by default; false lists archived ones."
    )


@strawberry.enum(description="What the product list can be sorted by.")
class ProductSortField(enum.Enum):
    NAME = strawberry.enum_value("name", description="Name, alphabetically.")
    SKU = strawberry.enum_value("sku", description="SKU.")
    SALE_PRICE = strawberry.enum_value("list_price", description="Sale price.")
    CREATED_AT = strawberry.enum_value("created_at", description="Creation instant.")


@strawberry.input(description="Sort order of the product list.")
class ProductSortInput:
    field: ProductSortField = strawberry.field(description="What to sort by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="Ascending or descending."
    )


def product_sort(sort_by: ProductSortInput | None) -> Sort:
    sort_by = sort_by or ProductSortInput(field=ProductSortField.NAME)
    column = {
        ProductSortField.NAME: Product.name,
        ProductSortField.SKU: Product.sku,
        ProductSortField.SALE_PRICE: Product.list_price,
        ProductSortField.CREATED_AT: Product.created_at,
    }[sort_by.field]
    return Sort(column, Product.id, descending=sort_by.direction is SortDirection.DESC)


def product_query(info: Info, where: ProductFilterInput | None) -> Select[Any]:
    where = where or ProductFilterInput()
    query = scoped(Product, [info.context.company_id]).where(
        *text_search(where.search, Product.name, Product.sku, Product.barcode)
    )
    if where.ids is not None:
        query = query.where(Product.id.in_(decode_ids(where.ids, "Product", "ids")))
    if where.skus is not None:
        query = query.where(Product.sku.in_(where.skus))
    if where.type:
        query = query.where(Product.type.in_(where.type))
    if where.category_id is not None:
        category = decode_id(where.category_id, "ProductCategory", "category_id")
        query = query.where(Product.category_id == category)
    if where.published is not None:
        query = query.where(Product.published.is_(where.published))
    if where.active is not None:
        query = query.where(Product.active.is_(where.active))
    return in_range(query, Product.list_price, where.sale_price)


def category_query(info: Info) -> Select[Any]:
    return scoped(ProductCategory, [info.context.company_id])


def tax_query(info: Info) -> Select[Any]:
    return scoped(Tax, [info.context.company_id])


def pricelist_query(info: Info) -> Select[Any]:
    return scoped(Pricelist, [info.context.company_id])
