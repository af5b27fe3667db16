"""Stock availability for many products at once: one loader per request, keyed by
(product, warehouse, date), answered with two grouped queries per batch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from api.context import Info
from api.inventory.types import ProductAvailability
from domain.inventory.availability import Availability, AvailabilityKey, stock_availability


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
