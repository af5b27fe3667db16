"""The public catalog of a channel: published products, their prices in the channel's
currency and pricelist, and their availability from the channel's warehouses.

Everything here reads through an `execute` callable (a request's read session), for many
products at once: a page of the catalog costs the same few statements whatever it holds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select
from sqlalchemy.orm import aliased

from domain.catalog.models import Product, ProductType, TaxUse
from domain.catalog.pricing import PricedLine, Pricer, check_pricelist_currency, load_pricelist
from domain.catalog.services import Execute, default_taxes
from domain.core.models import Company, Currency, CurrencyRate
from domain.core.services import Conversion, currency_rule
from domain.inventory.availability import stock_availability
from domain.storefront.errors import StorefrontError, StorefrontErrorCode
from domain.storefront.models import Channel, TaxDisplay, channel_warehouse

#: Stock shown to visitors stops at this: a shop shows "20+" rather than its whole stock.
DISPLAY_CAP = Decimal(20)
ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass(frozen=True)
class ChannelView:
    """What pricing and availability need of a channel, read once per request."""

    channel: Channel
    conversion: Conversion
    warehouse_ids: tuple[int, ...]

    @property
    def taxes_included(self) -> bool:
        return self.channel.tax_display is TaxDisplay.INCLUDED


async def channel_view(
    execute: Execute, company_id: int, channel_id: int, day: dt.date
) -> ChannelView:
    """The channel with its currency's conversion on `day` and its warehouses (two
    statements); NOT_FOUND when it is not an active channel of the company."""
    own = aliased(Currency)
    rate = (
        select(CurrencyRate.rate)
        .where(
            CurrencyRate.company_id == Channel.company_id,
            CurrencyRate.currency_id == Channel.currency_id,
            CurrencyRate.date <= day,
        )
        .order_by(CurrencyRate.date.desc())
        .limit(1)
        .scalar_subquery()
    )
    row = (
        await execute(
            select(Channel, Currency, own, rate)
            .join(Currency, Currency.id == Channel.currency_id)
            .join(Company, Company.id == Channel.company_id)
            .join(own, own.id == Company.currency_id)
            .where(
                Channel.id == channel_id,
                Channel.company_id == company_id,
                Channel.active.is_(True),
            )
        )
    ).first()
    if row is None:
        raise StorefrontError(StorefrontErrorCode.NOT_FOUND, "No such channel.")
    channel, currency, company_currency, found_rate = tuple(row)
    if currency.id == company_currency.id:
        found_rate = ONE
    elif found_rate is None:
        raise StorefrontError(
            StorefrontErrorCode.INVALID,
            f"The company has no {currency.code} rate on {day.isoformat()} for this channel.",
        )
    conversion = Conversion(
        currency, currency_rule(currency), currency_rule(company_currency), Decimal(found_rate)
    )
    warehouses = await execute(
        select(channel_warehouse.c.warehouse_id)
        .where(channel_warehouse.c.channel_id == channel.id)
        .order_by(channel_warehouse.c.warehouse_id)
    )
    return ChannelView(channel, conversion, tuple(warehouses.scalars()))


async def channel_pricer(
    execute: Execute, view: ChannelView, products: Sequence[Product], day: dt.date
) -> Pricer:
    """Prices `products` as the channel sells them: its pricelist's price or the sale price
    in its currency, with the products' sales taxes (two statements)."""
    by_id = {product.id: product for product in products}
    pricelist = None
    if view.channel.pricelist_id is not None and by_id:
        pricelist = await load_pricelist(
            execute, view.channel.company_id, view.channel.pricelist_id, by_id, day
        )
        check_pricelist_currency(pricelist, view.conversion)
    taxes = await default_taxes(execute, list(by_id), TaxUse.SALE) if by_id else {}
    return Pricer(view.conversion, TaxUse.SALE, by_id, {}, taxes, pricelist)


async def price_lines(
    execute: Execute,
    view: ChannelView,
    lines: Sequence[tuple[Product, Decimal]],
    day: dt.date,
) -> list[PricedLine]:
    """Each (product, quantity) priced as the channel sells it (see `channel_pricer`)."""
    pricer = await channel_pricer(execute, view, [product for product, _ in lines], day)
    return [
        pricer.price(quantity=quantity, product=product, taxes=pricer.taxes(product))
        for product, quantity in lines
    ]


@dataclass(frozen=True)
class StockLevel:
    """Whether a product can be ordered now, and how many of it to show as available."""

    in_stock: bool
    available_quantity: Decimal


async def stock_levels(
    execute: Execute, view: ChannelView, products: Sequence[Product]
) -> list[StockLevel]:
    """Live availability of `products` in the channel's warehouses (every warehouse of the
    company when it names none), capped at `DISPLAY_CAP`; goods without tracked stock are
    always available (two statements)."""
    storable = [product.id for product in products if product.type is ProductType.STORABLE]
    warehouses: Sequence[int | None] = view.warehouse_ids or (None,)
    keys = [(product_id, warehouse, None) for product_id in storable for warehouse in warehouses]
    figures = await stock_availability(execute, view.channel.company_id, keys) if keys else []
    available: dict[int, Decimal] = {}
    for (product_id, _, _), figure in zip(keys, figures, strict=True):
        available[product_id] = available.get(product_id, ZERO) + max(figure.available, ZERO)
    levels = []
    for product in products:
        quantity = (
            available.get(product.id, ZERO) if product.type is ProductType.STORABLE else DISPLAY_CAP
        )
        levels.append(StockLevel(quantity > 0, min(quantity, DISPLAY_CAP)))
    return levels


def published_products(company_id: int, *, variants: bool = False) -> Select[Any]:
    """The products a channel of `company_id` shows: published and active; the catalog
    lists products, their variants come with them."""
    query = select(Product).where(
        Product.company_id == company_id,
        Product.published.is_(True),
        Product.active.is_(True),
    )
    return query if variants else query.where(Product.variant_of_id.is_(None))


_WORD = re.compile(r"\w+", re.UNICODE)


def search_words(text: str | None) -> list[str]:
    """The words of a search, lower-cased; punctuation and operators dropped."""
    return [word.lower() for word in _WORD.findall(text or "")][:10]


def matches_search(words: Sequence[str], dialect: str) -> ColumnElement[bool] | None:
    """Products matching every word: PostgreSQL's full-text search over name, description
    and SKU (each word a prefix, so "chair" finds "chairs"); elsewhere each word contained
    in one of them. None when there is nothing to search."""
    if not words:
        return None
    if dialect == "postgresql":
        query = " & ".join(f"{word}:*" for word in words)
        return search_vector().op("@@")(func.to_tsquery("simple", literal(query)))
    conditions = []
    for word in words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        conditions.append(
            or_(
                Product.name.ilike(pattern, escape="\\"),
                Product.description.ilike(pattern, escape="\\"),
                Product.sku.ilike(pattern, escape="\\"),
            )
        )
    return and_(*conditions)


def search_vector() -> ColumnElement[Any]:
    """The text PostgreSQL searches, as the expression index `ix_product_search` holds it."""
    return func.to_tsvector(
        "simple",
        func.coalesce(Product.name, "")
        + " "
        + func.coalesce(Product.description, "")
        + " "
        + func.coalesce(Product.sku, ""),
    )
