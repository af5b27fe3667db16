"""Storefront queries: the channel's public catalog, and channels for the back office."""

from __future__ import annotations

import enum
from typing import Annotated, Any

import strawberry
from sqlalchemy import Select

from api.context import Info
from api.ids import decode_id
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
    SortDirection,
    root_connection,
)
from api.storefront.loaders import channel_id, channel_view
from api.storefront.types import (
    Cart,
    Channel,
    DeliveryMethod,
    Enquiry,
    StorefrontCategory,
    StorefrontChannel,
    StorefrontCustomer,
    StorefrontProduct,
)
from domain.catalog.models import Product, ProductCategory
from domain.core.records import scoped
from domain.partners.models import Partner
from domain.storefront import catalog, models


@strawberry.input(description="Which published products to list; all given conditions hold.")
class StorefrontProductFilterInput:
    search: str | None = strawberry.field(
        default=None,
        description="Words to find in the name, description or SKU (each word a prefix).",
    )
    category_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this category (a StorefrontCategory ID)."
    )


@strawberry.enum(description="What the public catalog can be sorted by.")
class StorefrontProductSortField(enum.Enum):
    NAME = strawberry.enum_value("name", description="Name, alphabetically.")
    PRICE = strawberry.enum_value("list_price", description="Sale price, before pricelists.")
    NEWEST = strawberry.enum_value("created_at", description="When it was added.")


@strawberry.input(description="Sort order of the public catalog.")
class StorefrontProductSortInput:
    field: StorefrontProductSortField = strawberry.field(description="What to sort by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="Ascending or descending."
    )


def _sort(sort_by: StorefrontProductSortInput | None) -> Sort:
    sort_by = sort_by or StorefrontProductSortInput(field=StorefrontProductSortField.NAME)
    column = {
        StorefrontProductSortField.NAME: Product.name,
        StorefrontProductSortField.PRICE: Product.list_price,
        StorefrontProductSortField.NEWEST: Product.created_at,
    }[sort_by.field]
    return Sort(column, Product.id, descending=sort_by.direction is SortDirection.DESC)


def _catalog_query(info: Info, where: StorefrontProductFilterInput | None) -> Select[Any]:
    channel_id(info)
    query = catalog.published_products(info.context.company_id)
    if where is None:
        return query
    dialect = info.context.sessions.kw["bind"].dialect.name
    found = catalog.matches_search(catalog.search_words(where.search), dialect)
    if found is not None:
        query = query.where(found)
    if where.category_id is not None:
        category = decode_id(where.category_id, "StorefrontCategory", "category_id")
        query = query.where(Product.category_id == category)
    return query


@strawberry.type
class StorefrontQuery:
    @strawberry.field(description="The channel of the storefront token the request carries.")
    async def storefront_channel(self, info: Info) -> StorefrontChannel:
        view = await channel_view(info)
        return StorefrontChannel(
            name=view.channel.name,
            currency=view.conversion.currency.code,
            tax_display=view.channel.tax_display,
        )

    @strawberry.field(
        description="The channel's published products, with prices and live availability."
    )
    async def storefront_products(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[StorefrontProductFilterInput | None, FILTER] = None,
        sort_by: Annotated[StorefrontProductSortInput | None, SORT] = None,
    ) -> Connection[StorefrontProduct]:
        return await root_connection(
            info.context.session,
            _catalog_query(info, filter),
            _sort(sort_by),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(
        description="A published product or variant by its SKU; null if there is none."
    )
    async def storefront_product(
        self,
        info: Info,
        sku: Annotated[str, strawberry.argument(description="The SKU, exactly.")],
    ) -> StorefrontProduct | None:
        channel_id(info)
        query = catalog.published_products(info.context.company_id, variants=True)
        query = query.where(Product.sku == sku)
        return (await info.context.session.scalars(query.limit(1))).first()

    @strawberry.field(description="The categories of the catalog, by name.")
    async def storefront_categories(self, info: Info) -> list[StorefrontCategory]:
        channel_id(info)
        query = scoped(ProductCategory, [info.context.company_id]).order_by(
            ProductCategory.name, ProductCategory.id
        )
        return list(await info.context.session.scalars(query))

    @strawberry.field(description="A cart of the channel by its token; null if there is none.")
    async def storefront_cart(
        self,
        info: Info,
        token: Annotated[str, strawberry.argument(description="The cart's token.")],
    ) -> Cart | None:
        query = scoped(models.Cart, [info.context.company_id]).where(
            models.Cart.token == token, models.Cart.channel_id == channel_id(info)
        )
        return (await info.context.session.scalars(query)).first()

    @strawberry.field(
        description="The customer signed in with `X-Customer-Token`, and their own records."
    )
    async def storefront_customer(self, info: Info) -> StorefrontCustomer | None:
        channel_id(info)
        actor = info.context.actor
        customer = actor.customer_id if actor else None
        return await info.context.loaders.one(Partner, customer)

    @strawberry.field(description="How the channel ships.")
    async def storefront_delivery_methods(self, info: Info) -> list[DeliveryMethod]:
        query = scoped(models.DeliveryMethod, [info.context.company_id]).where(
            models.DeliveryMethod.channel_id == channel_id(info),
            models.DeliveryMethod.active.is_(True),
        )
        return list(await info.context.session.scalars(query.order_by(models.DeliveryMethod.id)))

    @strawberry.field(description="The company's storefront channels, by code.")
    async def channels(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Channel]:
        return await root_connection(
            info.context.session,
            scoped(models.Channel, [info.context.company_id]),
            Sort(models.Channel.code, models.Channel.id),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="Messages from the channels' contact forms, newest first.")
    async def enquiries(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Enquiry]:
        return await root_connection(
            info.context.session,
            scoped(models.Enquiry, [info.context.company_id]),
            Sort(models.Enquiry.created_at, models.Enquiry.id, descending=True),
            PageArgs(first, after, last, before),
        )
