"""How much of a product is on hand, reserved, coming and going, per warehouse.

Computed for many products at once: one grouped query over quants and one over open moves,
whatever the number of products, warehouses and dates asked.

- on hand: in the warehouse's internal locations; reserved: of that, held by moves;
- available: on hand less reserved;
- incoming / outgoing: open moves into / out of the warehouse (not yet done), scheduled up to
  the end of the given date, or all of them without a date;
- forecast: on hand + incoming − outgoing.

Without a warehouse, the scope is every internal location of the company.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Executable, Result, and_, case, func, not_, null, select
from sqlalchemy.orm import aliased

from domain.inventory.models import Location, LocationUsage, Move, MoveState, Quant, Warehouse

ZERO = Decimal(0)
#: (product ID, warehouse ID or None for the whole company, date or None for any date)
AvailabilityKey = tuple[int, int | None, dt.date | None]
Execute = Callable[[Executable], Awaitable[Result[Any]]]
PENDING = (
    MoveState.WAITING,
    MoveState.CONFIRMED,
    MoveState.PARTIALLY_AVAILABLE,
    MoveState.ASSIGNED,
)


@dataclass(frozen=True)
class Availability:
    """Stock figures of one product in one warehouse (or the company), in the product's unit."""

    on_hand: Decimal = ZERO
    reserved: Decimal = ZERO
    incoming: Decimal = ZERO
    outgoing: Decimal = ZERO

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved

    @property
    def forecast(self) -> Decimal:
        return self.on_hand + self.incoming - self.outgoing


def _day_after(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)


async def stock_availability(
    execute: Execute, company_id: int, keys: Sequence[AvailabilityKey]
) -> list[Availability]:
    """Figures for each key, in the order of `keys`."""
    on_hand: dict[tuple[int, int | None], tuple[Decimal, Decimal]] = {}
    moving: dict[tuple[int, int | None, dt.date | None], list[Decimal]] = defaultdict(
        lambda: [ZERO, ZERO]
    )
    for scoped in (True, False):
        group = [key for key in keys if (key[1] is not None) is scoped]
        if not group:
            continue
        product_ids = sorted({key[0] for key in group})
        warehouse_ids = sorted({key[1] for key in group if key[1] is not None})
        dates = sorted({key[2] for key in group}, key=lambda day: (day is not None, day))
        quant_rows = await execute(
            _quant_query(company_id, product_ids, warehouse_ids if scoped else None)
        )
        for row in quant_rows:
            product_id, warehouse_id, quantity, reserved = tuple(row)
            on_hand[(product_id, warehouse_id)] = (Decimal(quantity), Decimal(reserved))
        move_rows = await execute(
            _move_query(company_id, product_ids, warehouse_ids if scoped else None, dates)
        )
        for row in move_rows:
            product_id, warehouse_id, *sums = tuple(row)
            for index, day in enumerate(dates):
                moving[(product_id, warehouse_id, day)] = [
                    Decimal(sums[2 * index] or 0),
                    Decimal(sums[2 * index + 1] or 0),
                ]
    result = []
    for product_id, warehouse_id, day in keys:
        quantity, reserved = on_hand.get((product_id, warehouse_id), (ZERO, ZERO))
        incoming, outgoing = moving.get((product_id, warehouse_id, day), [ZERO, ZERO])
        result.append(Availability(quantity, reserved, incoming, outgoing))
    return result


def _quant_query(
    company_id: int, product_ids: list[int], warehouse_ids: list[int] | None
) -> Executable:
    place = aliased(Location)
    if warehouse_ids is None:
        return (
            select(
                Quant.product_id,
                null().label("warehouse_id"),
                func.coalesce(func.sum(Quant.quantity), 0),
                func.coalesce(func.sum(Quant.reserved_quantity), 0),
            )
            .join(place, place.id == Quant.location_id)
            .where(
                Quant.company_id == company_id,
                Quant.product_id.in_(product_ids),
                place.usage == LocationUsage.INTERNAL,
            )
            .group_by(Quant.product_id)
        )
    view = aliased(Location)
    return (
        select(
            Quant.product_id,
            Warehouse.id,
            func.coalesce(func.sum(Quant.quantity), 0),
            func.coalesce(func.sum(Quant.reserved_quantity), 0),
        )
        .join(place, place.id == Quant.location_id)
        .join(Warehouse, Warehouse.id.in_(warehouse_ids))
        .join(view, view.id == Warehouse.view_location_id)
        .where(
            Quant.company_id == company_id,
            Warehouse.company_id == company_id,
            Quant.product_id.in_(product_ids),
            place.usage == LocationUsage.INTERNAL,
            place.parent_path.startswith(view.parent_path),
        )
        .group_by(Quant.product_id, Warehouse.id)
    )


def _move_query(
    company_id: int,
    product_ids: list[int],
    warehouse_ids: list[int] | None,
    dates: list[dt.date | None],
) -> Executable:
    source, destination, view = aliased(Location), aliased(Location), aliased(Location)
    inside_source: ColumnElement[bool]
    inside_destination: ColumnElement[bool]
    if warehouse_ids is None:
        inside_source = source.usage == LocationUsage.INTERNAL
        inside_destination = destination.usage == LocationUsage.INTERNAL
        warehouse_column: Any = null().label("warehouse_id")
    else:
        inside_source = and_(
            source.usage == LocationUsage.INTERNAL, source.parent_path.startswith(view.parent_path)
        )
        inside_destination = and_(
            destination.usage == LocationUsage.INTERNAL,
            destination.parent_path.startswith(view.parent_path),
        )
        warehouse_column = Warehouse.id
    incoming = and_(inside_destination, not_(inside_source))
    outgoing = and_(inside_source, not_(inside_destination))
    sums = []
    for day in dates:
        scheduled = Move.date < _day_after(day) if day is not None else None
        for direction in (incoming, outgoing):
            condition = and_(direction, scheduled) if scheduled is not None else direction
            sums.append(func.sum(case((condition, Move.product_qty), else_=0)))
    query = (
        select(Move.product_id, warehouse_column, *sums)
        .join(source, source.id == Move.location_id)
        .join(destination, destination.id == Move.location_dest_id)
        .where(
            Move.company_id == company_id,
            Move.product_id.in_(product_ids),
            Move.state.in_(PENDING),
        )
    )
    if warehouse_ids is None:
        return query.group_by(Move.product_id)
    return (
        query.join(Warehouse, Warehouse.id.in_(warehouse_ids))
        .join(view, view.id == Warehouse.view_location_id)
        .where(Warehouse.company_id == company_id)
        .group_by(Move.product_id, Warehouse.id)
    )
