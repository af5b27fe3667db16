"""Inventory queries."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.context import Info
from api.inventory.filters import (
    LocationFilterInput,
    LotFilterInput,
    MoveFilterInput,
    PickingFilterInput,
    PickingSortInput,
    QuantFilterInput,
    QuantSortInput,
    WarehouseFilterInput,
    location_query,
    lot_query,
    move_query,
    picking_query,
    picking_sort,
    quant_query,
    quant_sort,
    warehouse_query,
)
from api.inventory.types import Location, Lot, Move, Picking, Quant, Warehouse
from api.pagination import After, Before, Connection, First, Last, PageArgs, Sort, root_connection
from domain.inventory import models


@strawberry.type
class InventoryQuery:
    @strawberry.field(description="The company's warehouses, by name.")
    async def warehouses(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            WarehouseFilterInput | None, strawberry.argument(description="Which warehouses.")
        ] = None,
    ) -> Connection[Warehouse]:
        return await root_connection(
            info.context.session,
            warehouse_query(info, filter),
            Sort(models.Warehouse.name, models.Warehouse.id),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="The company's locations, by full name.")
    async def locations(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            LocationFilterInput | None, strawberry.argument(description="Which locations.")
        ] = None,
    ) -> Connection[Location]:
        return await root_connection(
            info.context.session,
            location_query(info, filter),
            Sort(models.Location.full_name, models.Location.id),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="Stock per product, location and lot; oldest first by default.")
    async def quants(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            QuantFilterInput | None,
            strawberry.argument(description="Which quants; those holding something by default."),
        ] = None,
        sort_by: Annotated[
            QuantSortInput | None,
            strawberry.argument(description="Order; oldest first by default."),
        ] = None,
    ) -> Connection[Quant]:
        return await root_connection(
            info.context.session,
            quant_query(info, filter),
            quant_sort(sort_by),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="Receipts, deliveries and transfers; soonest first by default.")
    async def pickings(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            PickingFilterInput | None, strawberry.argument(description="Which pickings.")
        ] = None,
        sort_by: Annotated[
            PickingSortInput | None,
            strawberry.argument(description="Order; by scheduled date by default."),
        ] = None,
    ) -> Connection[Picking]:
        return await root_connection(
            info.context.session,
            picking_query(info, filter),
            picking_sort(sort_by),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="A picking by its number, e.g. WH/OUT/00001.")
    async def picking(
        self,
        info: Info,
        name: Annotated[str, strawberry.argument(description="The number, e.g. WH/OUT/00001.")],
    ) -> Picking | None:
        query = picking_query(info, None).where(models.Picking.name == name)
        return (await info.context.session.scalars(query)).first()

    @strawberry.field(description="Stock moves, latest first.")
    async def moves(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            MoveFilterInput | None, strawberry.argument(description="Which moves.")
        ] = None,
    ) -> Connection[Move]:
        return await root_connection(
            info.context.session,
            move_query(info, filter),
            Sort(models.Move.date, models.Move.id, descending=True),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="Lots and serial numbers, by name.")
    async def lots(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            LotFilterInput | None, strawberry.argument(description="Which lots.")
        ] = None,
    ) -> Connection[Lot]:
        return await root_connection(
            info.context.session,
            lot_query(info, filter),
            Sort(models.Lot.name, models.Lot.id),
            PageArgs(first, after, last, before),
        )
