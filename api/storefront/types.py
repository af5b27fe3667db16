"""The storefront as visitors see it (published products, prices, availability), and the
channels and tokens as the back office manages them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

import strawberry

from api.catalog.types import Pricelist
from api.context import Info
from api.core.types import Currency, Money
from api.enums import graphql_enum
from api.errors import UserError
from api.nodes import ModelNode, quantity
from api.storefront.loaders import channel_view, stock_level, unit_price
from domain.catalog import models as catalog
from domain.core.dispatcher import Permission
from domain.core.models import Currency as CurrencyModel
from domain.core.money import CurrencyRule
from domain.storefront import models
from domain.storefront.errors import StorefrontErrorCode
from domain.storefront.models import TaxDisplay
from domain.storefront.permissions import STOREFRONT_BROWSE, STOREFRONT_READ

graphql_enum(
    StorefrontErrorCode,
    "Why a storefront operation was refused.",
    {"CHANNEL_REQUIRED": "The request carries no storefront token naming a channel."},
)
graphql_enum(
    TaxDisplay,
    "How a channel shows prices.",
    {
        "INCLUDED": "Prices include taxes.",
        "EXCLUDED": "Prices exclude taxes; they are added to the total.",
    },
)


@strawberry.type(description="A storefront operation refused its input.")
class StorefrontError(UserError):
    codes = StorefrontErrorCode
    code: StorefrontErrorCode = strawberry.field(description="Stable machine-readable reason.")


def shown(amount: Decimal, rule: CurrencyRule) -> Money:
    return Money(amount=rule.round(amount), currency=rule.code)


@strawberry.type(
    description="The channel a storefront token belongs to: its currency and how it shows taxes."
)
class StorefrontChannel:
    read_permission: ClassVar[Permission | None] = STOREFRONT_BROWSE
    name: str = strawberry.field(description="The channel's name.")
    currency: str = strawberry.field(description="ISO code of the currency prices are in.")
    tax_display: TaxDisplay = strawberry.field(description="Whether prices include taxes.")


@strawberry.type(description="A category of the published catalog.")
class StorefrontCategory(ModelNode):
    model = catalog.ProductCategory
    read_permission = STOREFRONT_BROWSE
    name: str = strawberry.field(description="Name.")
    parent_id: strawberry.Private[int | None]

    @strawberry.field(description="The category above this one; null at the top.")
    async def parent(self, info: Info) -> StorefrontCategory | None:
        return await info.context.loaders.one(catalog.ProductCategory, self.parent_id)


@strawberry.type(
    description="A published product as the channel sells it: its price in the channel's "
    "currency and pricelist, and whether it is in stock now."
)
class StorefrontProduct(ModelNode):
    model = catalog.Product
    read_permission = STOREFRONT_BROWSE
    sku: str = strawberry.field(description="Stock keeping unit.")
    name: str = strawberry.field(description="Name.")
    description: str | None = strawberry.field(description="Longer description.")
    category_id: strawberry.Private[int | None]

    @strawberry.field(description="Its category, if any.")
    async def category(self, info: Info) -> StorefrontCategory | None:
        return await info.context.loaders.one(catalog.ProductCategory, self.category_id)

    @strawberry.field(
        description="Price of one unit as the channel shows it: with taxes, or without them "
        "(see `StorefrontChannel.taxDisplay`)."
    )
    async def price(self, info: Info, root: strawberry.Parent[Any]) -> Money:
        view = await channel_view(info)
        amounts = (await unit_price(info, root)).amounts
        amount = amounts.total if view.taxes_included else amounts.subtotal
        return shown(amount, view.conversion.rule)

    @strawberry.field(description="Price of one unit without taxes.")
    async def price_excluding_tax(self, info: Info, root: strawberry.Parent[Any]) -> Money:
        view = await channel_view(info)
        return shown((await unit_price(info, root)).amounts.subtotal, view.conversion.rule)

    @strawberry.field(description="Price of one unit with taxes.")
    async def price_including_tax(self, info: Info, root: strawberry.Parent[Any]) -> Money:
        view = await channel_view(info)
        return shown((await unit_price(info, root)).amounts.total, view.conversion.rule)

    @strawberry.field(description="Whether it can be ordered now, from live stock.")
    async def in_stock(self, info: Info, root: strawberry.Parent[Any]) -> bool:
        return (await stock_level(info, root)).in_stock

    @strawberry.field(description="How many can be ordered now, capped for display (at most 20).")
    async def available_quantity(self, info: Info, root: strawberry.Parent[Any]) -> Decimal:
        return quantity((await stock_level(info, root)).available_quantity)


@strawberry.type(description="A storefront of the company, as the back office manages it.")
class Channel(ModelNode):
    model = models.Channel
    read_permission = STOREFRONT_READ
    code: str = strawberry.field(description="Short code, unique per company.")
    name: str = strawberry.field(description="Name.")
    tax_display: TaxDisplay = strawberry.field(description="Whether prices include taxes.")
    active: bool = strawberry.field(description="False once closed.")
    currency_id: strawberry.Private[int]
    pricelist_id: strawberry.Private[int | None]

    @strawberry.field(description="The currency it sells in.")
    async def currency(self, info: Info) -> Currency:
        return await info.context.loaders.one(CurrencyModel, self.currency_id)

    @strawberry.field(description="Its prices; products' sale prices without one.")
    async def pricelist(self, info: Info) -> Pricelist | None:
        return await info.context.loaders.one(catalog.Pricelist, self.pricelist_id)

    @strawberry.field(description="Its publishable tokens, in the order they were issued.")
    async def tokens(self, info: Info) -> list[StorefrontToken]:
        loader = info.context.loaders.by_parent(
            models.StorefrontToken.channel_id, models.StorefrontToken.id
        )
        return await loader.load(self.id)


@strawberry.type(
    description="A publishable key of a channel: storefront pages send it as "
    "`Authorization: Bearer <token>`; it reaches the storefront's fields only."
)
class StorefrontToken(ModelNode):
    model = models.StorefrontToken
    read_permission = STOREFRONT_READ
    name: str = strawberry.field(description="What it is for.")
    token: str = strawberry.field(description="The publishable key itself.")
    created_at: dt.datetime = strawberry.field(description="When it was issued.")
    revoked_at: dt.datetime | None = strawberry.field(description="When it stopped working.")
