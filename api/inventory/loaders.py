"""Stock availability for many products at once: one loader per request, keyed by
(product, warehouse, date), answered with two grouped queries per batch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from api.context import Info
from api.inventory.types import ProductAvailability, ProductStockValuation
from domain.inventory.availability import Availability, AvailabilityKey, stock_availability
from domain.inventory.valuation import StockValuation, stock_valuations


def availability_loader(info: Info) -> DataLoader[AvailabilityKey, Availability]:
    context = info.context

    async def load(keys: Sequence[AvailabilityKey]) -> list[Availability]:
        return await stock_availability(context.session.execute, context.company_id, keys)

    return context.loaders.get("inventory.availability", lambda: DataLoader(load_fn=load))


async def load_availability(
    info: Info, product_id: int, warehouse_id: int | None, date: dt.date | None
) -> ProductAvailability:
    figures = await availability_loader(info).load((product_id, warehouse_id, date))
    return ProductAvailability(
        figures=figures, product_id=product_id, warehouse_id=warehouse_id, date=date
    )


def valuation_loader(info: Info) -> DataLoader[int, StockValuation]:
    context = info.context

    async def load(keys: Sequence[int]) -> list[StockValuation]:
        return await stock_valuations(context.session.execute, context.company_id, keys)

    return context.loaders.get("inventory.valuation", lambda: DataLoader(load_fn=load))


async def load_stock_valuation(
    info: Info, product_id: int, company_id: int
) -> ProductStockValuation:
    figures = await valuation_loader(info).load(product_id)
    return ProductStockValuation(figures=figures, company_id=company_id)
