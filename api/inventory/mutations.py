"""Inventory mutations: each parses its input, dispatches one command and maps the result."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.access import dispatches
from api.context import Info
from api.ids import decode_id
from api.inventory.inputs import (
    InternalTransferInput,
    InventoryAdjustmentInput,
    LocationCreateInput,
    PickingCreateInput,
    PickingReturnInput,
    PickingValidateInput,
    ScrapInput,
    WarehouseCreateInput,
)
from api.inventory.types import InventoryError, Location, Move, Picking, Warehouse
from api.payloads import Payload, run, step
from domain.inventory import commands as c


@strawberry.type(description="The warehouse created, or why not.")
class WarehousePayload(Payload, error=InventoryError):
    warehouse: Warehouse | None = strawberry.field(default=None, description="The warehouse.")


@strawberry.type(description="The location created, or why not.")
class LocationPayload(Payload, error=InventoryError):
    location: Location | None = strawberry.field(default=None, description="The location.")


@strawberry.type(description="The picking after the change, or why nothing changed.")
class PickingPayload(Payload, error=InventoryError):
    picking: Picking | None = strawberry.field(default=None, description="The picking.")


@strawberry.type(description="The done move, or why nothing changed.")
class MovePayload(Payload, error=InventoryError):
    move: Move | None = strawberry.field(default=None, description="The move.")


@strawberry.type(description="The moves applying the counts, or why nothing changed.")
class InventoryAdjustmentPayload(Payload, error=InventoryError):
    moves: list[Move] | None = strawberry.field(
        default=None,
        description="One done move per counted difference; none where the count matched.",
    )


PickingId = Annotated[strawberry.ID, strawberry.argument(description="The picking.")]


@strawberry.type
class InventoryMutation:
    @strawberry.mutation(
        description="Create a warehouse with its Stock location and its operation types.",
        metadata=dispatches(c.CreateWarehouse),
    )
    async def warehouse_create(
        self,
        info: Info,
        input: Annotated[
            WarehouseCreateInput, strawberry.argument(description="The new warehouse.")
        ],
    ) -> WarehousePayload:
        return await run(
            info,
            WarehousePayload,
            lambda company_id: c.CreateWarehouse(
                company_id=company_id, name=input.name, code=input.code
            ),
        )

    @strawberry.mutation(
        description="Create a sub-location (a shelf, a bin).",
        metadata=dispatches(c.CreateLocation),
    )
    async def location_create(
        self,
        info: Info,
        input: Annotated[LocationCreateInput, strawberry.argument(description="The new location.")],
    ) -> LocationPayload:
        return await run(
            info,
            LocationPayload,
            lambda company_id: c.CreateLocation(
                company_id=company_id,
                name=input.name,
                parent_id=decode_id(input.parent_id, "Location", "parent_id"),
            ),
        )

    @strawberry.mutation(
        description="Create a draft picking, numbered by its operation type (WH/IN/00001).",
        metadata=dispatches(c.CreatePicking),
    )
    async def picking_create(
        self,
        info: Info,
        input: Annotated[PickingCreateInput, strawberry.argument(description="The new picking.")],
    ) -> PickingPayload:
        return await run(
            info,
            PickingPayload,
            lambda company_id: c.CreatePicking(
                company_id=company_id, values=input.values(), moves=input.move_values()
            ),
        )

    @strawberry.mutation(
        description="Create an internal transfer between two internal locations, confirmed "
        "and reserved; validate it with `pickingValidate`.",
        metadata=dispatches(c.CreateInternalTransfer),
    )
    async def internal_transfer_create(
        self,
        info: Info,
        input: Annotated[InternalTransferInput, strawberry.argument(description="The transfer.")],
    ) -> PickingPayload:
        def command(company_id: int) -> c.CreateInternalTransfer:
            source, destination = input.ends()
            return c.CreateInternalTransfer(
                company_id=company_id,
                source_location_id=source,
                destination_location_id=destination,
                moves=input.move_values(),
                scheduled_date=input.scheduled_date,
            )

        return await run(info, PickingPayload, command)

    @strawberry.mutation(
        description="Confirm a draft picking: its moves reserve what they can.",
        metadata=dispatches(c.ConfirmPicking),
    )
    async def picking_confirm(self, info: Info, id: PickingId) -> PickingPayload:
        return await step(info, PickingPayload, c.ConfirmPicking, id, "Picking")

    @strawberry.mutation(
        description="Reserve what the picking still misses from stock available now, "
        "oldest stock first.",
        metadata=dispatches(c.ReservePicking),
    )
    async def picking_reserve(self, info: Info, id: PickingId) -> PickingPayload:
        return await step(info, PickingPayload, c.ReservePicking, id, "Picking")

    @strawberry.mutation(
        description="Give back what the picking reserved.",
        metadata=dispatches(c.UnreservePicking),
    )
    async def picking_unreserve(self, info: Info, id: PickingId) -> PickingPayload:
        return await step(info, PickingPayload, c.UnreservePicking, id, "Picking")

    @strawberry.mutation(
        description="Cancel a picking that is not done; its reservations are released.",
        metadata=dispatches(c.CancelPicking),
    )
    async def picking_cancel(self, info: Info, id: PickingId) -> PickingPayload:
        return await step(info, PickingPayload, c.CancelPicking, id, "Picking")

    @strawberry.mutation(
        description="Validate a picking: its goods move. With less than the demand done, "
        "`backorder` says whether the rest becomes a backorder or is cancelled.",
        metadata=dispatches(c.ValidatePicking),
    )
    async def picking_validate(
        self,
        info: Info,
        id: PickingId,
        input: Annotated[
            PickingValidateInput | None,
            strawberry.argument(description="Done quantities and the backorder choice."),
        ] = None,
    ) -> PickingPayload:
        given = input or PickingValidateInput()
        return await run(
            info,
            PickingPayload,
            lambda company_id: c.ValidatePicking(
                company_id=company_id,
                id=decode_id(id, "Picking", "id"),
                moves=given.done(),
                backorder=given.backorder,
                allow_over_delivery=given.allow_over_delivery,
            ),
        )

    @strawberry.mutation(
        description="Send back goods of a done picking: returns the new return picking, "
        "confirmed and reserved.",
        metadata=dispatches(c.ReturnPicking),
    )
    async def picking_return(
        self,
        info: Info,
        id: PickingId,
        input: Annotated[
            PickingReturnInput | None,
            strawberry.argument(description="What to send back; everything by default."),
        ] = None,
    ) -> PickingPayload:
        given = input or PickingReturnInput()
        return await run(
            info,
            PickingPayload,
            lambda company_id: c.ReturnPicking(
                company_id=company_id,
                id=decode_id(id, "Picking", "id"),
                quantities=given.quantities(),
            ),
        )

    @strawberry.mutation(
        description="Write off free stock; returns the done scrap move.",
        metadata=dispatches(c.ScrapStock),
    )
    async def stock_scrap(
        self,
        info: Info,
        input: Annotated[ScrapInput, strawberry.argument(description="What to scrap.")],
    ) -> MovePayload:
        location = input.location_id
        lot = input.lot_id
        return await run(
            info,
            MovePayload,
            lambda company_id: c.ScrapStock(
                company_id=company_id,
                product_id=decode_id(input.product_id, "Product", "product_id"),
                quantity=input.quantity,
                location_id=decode_id(location, "Location", "location_id") if location else None,
                lot_id=decode_id(lot, "Lot", "lot_id") if lot else None,
                origin_name=input.origin,
            ),
        )

    @strawberry.mutation(
        description="Apply counts of a location's stock: each difference moves to or from the "
        "Inventory adjustment location, all in one transaction.",
        metadata=dispatches(c.ApplyInventoryAdjustment),
    )
    async def inventory_adjustment_apply(
        self,
        info: Info,
        input: Annotated[InventoryAdjustmentInput, strawberry.argument(description="The counts.")],
    ) -> InventoryAdjustmentPayload:
        return await run(
            info,
            InventoryAdjustmentPayload,
            lambda company_id: c.ApplyInventoryAdjustment(
                company_id=company_id,
                location_id=decode_id(input.location_id, "Location", "location_id"),
                counts=input.counted(),
                reason=input.reason,
                opening_balance=input.opening_balance,
            ),
        )
