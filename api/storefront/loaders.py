"""The storefront's request-scoped loaders: the caller's channel, prices and stock levels of
the products a page shows, each in one batch."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from strawberry.dataloader import DataLoader

from api.context import Info
from api.errors import query_errors
from domain.catalog.models import Product
from domain.catalog.pricing import PricedLine
from domain.core.db import utcnow
from domain.storefront import catalog
from domain.storefront.errors import StorefrontError, StorefrontErrorCode

ONE = Decimal(1)


def channel_id(info: Info) -> int:
    """The channel of the caller's storefront token; a request error without one."""
    actor = info.context.actor
    if actor is None or actor.channel_id is None:
        with query_errors():
            raise StorefrontError(
                StorefrontErrorCode.CHANNEL_REQUIRED,
                "Send a storefront token: the storefront is read per channel.",
            )
    return actor.channel_id


async def channel_view(info: Info) -> catalog.ChannelView:
    """The caller's channel, read once per request."""
    wanted = channel_id(info)

    async def load(keys: Sequence[int]) -> list[catalog.ChannelView]:
        with query_errors():
            return [
                await catalog.channel_view(
                    info.context.session.execute,
                    info.context.company_id,
                    key,
                    utcnow().date(),
                )
                for key in keys
            ]

    loader = info.context.loaders.get(("storefront", "channel"), lambda: DataLoader(load_fn=load))
    return await loader.load(wanted)


async def unit_price(info: Info, product: Product) -> PricedLine:
    """One unit of `product` priced as the caller's channel sells it."""
    view = await channel_view(info)

    async def load(products: Sequence[Product]) -> list[PricedLine]:
        with query_errors():
            return await catalog.price_lines(
                info.context.session.execute,
                view,
                [(item, ONE) for item in products],
                utcnow().date(),
            )

    loader = info.context.loaders.get(("storefront", "price"), lambda: DataLoader(load_fn=load))
    return await loader.load(product)


async def stock_level(info: Info, product: Product) -> catalog.StockLevel:
    """Live availability of `product` in the caller's channel."""
    view = await channel_view(info)

    async def load(products: Sequence[Product]) -> list[catalog.StockLevel]:
        return await catalog.stock_levels(info.context.session.execute, view, products)

    loader = info.context.loaders.get(("storefront", "stock"), lambda: DataLoader(load_fn=load))
    return await loader.load(product)
