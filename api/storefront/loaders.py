"""The storefront's request-scoped loaders: the caller's channel, prices and stock levels of
the products a page shows, each in one batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from strawberry.dataloader import DataLoader

from api.context import Info
from api.errors import query_errors
from domain.catalog.models import Product
from domain.catalog.pricing import PricedLine
from domain.core.db import utcnow
from domain.storefront import catalog
from domain.storefront.carts import CartTotals, cart_totals
from domain.storefront.errors import StorefrontError, StorefrontErrorCode
from domain.storefront.models import Cart, CartLine, Coupon, DeliveryMethod

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


@dataclass(frozen=True)
class CartPrices:
    """A cart's goods (product, quantity) and its totals."""

    goods: list[tuple[Product, Decimal]]
    totals: CartTotals


async def cart_prices(info: Info, cart: Cart) -> CartPrices:
    """The cart priced as its checkout will price it, once per request."""
    view = await channel_view(info)
    loaders = info.context.loaders

    async def price(cart: Cart) -> CartPrices:
        lines: list[CartLine] = await loaders.by_parent(CartLine.cart_id, CartLine.id).load(cart.id)
        method = await loaders.one(DeliveryMethod, cart.delivery_method_id)
        wanted = [line.product_id for line in lines] + ([method.product_id] if method else [])
        products = {
            product.id: product
            for product in await loaders.by_id(Product).load_many(wanted)
            if product is not None
        }
        goods = [(products[line.product_id], line.quantity) for line in lines]
        with query_errors():
            pricer = await catalog.channel_pricer(
                info.context.session.execute, view, list(products.values()), utcnow().date()
            )
        delivery = (method, products[method.product_id]) if method else None
        coupon = await loaders.one(Coupon, cart.coupon_id)
        return CartPrices(goods, cart_totals(pricer, view.taxes_included, goods, delivery, coupon))

    async def load(carts: Sequence[Cart]) -> list[CartPrices]:
        return [await price(cart) for cart in carts]

    loader = loaders.get(("storefront", "cart"), lambda: DataLoader(load_fn=load))
    return await loader.load(cart)
