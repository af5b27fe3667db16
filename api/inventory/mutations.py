"""Inventory mutations: each parses its input, calls one service and maps the result."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, ClassVar

import strawberry

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
from api.payloads import mutate
from domain.core.uow import UnitOfWork
from domain.inventory import adjustments, returns, services, validation, warehouses
from domain.inventory.models import Picking as PickingModel


@strawberry.type(description="The warehouse created, or why not.")
class WarehousePayload:
    result_field: ClassVar[str] = "warehouse"
    error_type: ClassVar[type[InventoryError]] = InventoryError
    warehouse: Warehouse | None = strawberry.field(default=None, description="The warehouse.")
    errors: list[InventoryError] = strawberry.field(
        default_factory=list, description="Why nothing changed; empty on success."
    )


@strawberry.type(description="The location created, or why not.")
class LocationPayload:
    result_field: ClassVar[str] = "location"
    error_type: ClassVar[type[InventoryError]] = InventoryError
    location: Location | None = strawberry.field(default=None, description="The location.")
    errors: list[InventoryError] = strawberry.field(
        default_factory=list, description="Why nothing changed; empty on success."
    )


@strawberry.type(description="The picking after the change, or why nothing changed.")
class PickingPayload:
    result_field: ClassVar[str] = "picking"
    error_type: ClassVar[type[InventoryError]] = InventoryError
    picking: Picking | None = strawberry.field(default=None, description="The picking.")
    errors: list[InventoryError] = strawberry.field(
        default_factory=list, description="Why nothing changed; empty on success."
    )


@strawberry.type(description="The done move, or why nothing changed.")
class MovePayload:
    result_field: ClassVar[str] = "move"
    error_type: ClassVar[type[InventoryError]] = InventoryError
    move: Move | None = strawberry.field(default=None, description="The move.")
    errors: list[InventoryError] = strawberry.field(
        default_factory=list, description="Why nothing changed; empty on success."
    )


@strawberry.type(description="The moves applying the counts, or why nothing changed.")
class InventoryAdjustmentPayload:
    result_field: ClassVar[str] = "moves"
    error_type: ClassVar[type[InventoryError]] = InventoryError
    moves: list[Move] | None = strawberry.field(
        default=None,
        description="One done move per counted difference; none where the count matched.",
    )
    errors: list[InventoryError] = strawberry.field(
        default_factory=list, description="Why nothing changed; empty on success."
    )


PickingId = Annotated[strawberry.ID, strawberry.argument(description="The picking.")]
PickingStep = Callable[[UnitOfWork, int, int], Awaitable[PickingModel]]


async def _step(info: Info, id: strawberry.ID, step: PickingStep) -> PickingPayload:
    """A picking workflow step taking nothing but the picking."""
    return await mutate(
        info,
        PickingPayload,
        lambda uow, company_id: step(uow, company_id, decode_id(id, "Picking", "id")),
    )


@strawberry.type
class InventoryMutation:
    @strawberry.mutation(
        description="Create a warehouse with its Stock location and its operation types."
    )
    async def warehouse_create(
        self,
        info: Info,
        input: Annotated[
            WarehouseCreateInput, strawberry.argument(description="The new warehouse.")
        ],
    ) -> WarehousePayload:
        return await mutate(
            info,
            WarehousePayload,
            lambda uow, company_id: warehouses.create_warehouse(
                uow, company_id, name=input.name, code=input.code
            ),
        )

    @strawberry.mutation(description="Create a sub-location (a shelf, a bin).")
    async def location_create(
        self,
        info: Info,
        input: Annotated[LocationCreateInput, strawberry.argument(description="The new location.")],
    ) -> LocationPayload:
        return await mutate(
            info,
            LocationPayload,
            lambda uow, company_id: warehouses.create_location(
                uow,
                company_id,
                name=input.name,
                parent_id=decode_id(input.parent_id, "Location", "parent_id"),
            ),
        )

    @strawberry.mutation(
        description="Create a draft picking, numbered by its operation type (WH/IN/00001)."
    )
    async def picking_create(
        self,
        info: Info,
        input: Annotated[PickingCreateInput, strawberry.argument(description="The new picking.")],
    ) -> PickingPayload:
        return await mutate(
            info,
            PickingPayload,
            lambda uow, company_id: services.create_picking(
                uow, company_id, input.values(), input.move_values()
            ),
        )

    @strawberry.mutation(
        description="Create an internal transfer between two internal locations, confirmed "
        "and reserved; validate it with `pickingValidate`."
    )
    async def internal_transfer_create(
        self,
        info: Info,
        input: Annotated[InternalTransferInput, strawberry.argument(description="The transfer.")],
    ) -> PickingPayload:
        async def work(uow: UnitOfWork, company_id: int) -> PickingModel:
            source, destination = input.ends()
            return await services.create_internal_transfer(
                uow,
                company_id,
                source_location_id=source,
                destination_location_id=destination,
                moves=input.move_values(),
                scheduled_date=input.scheduled_date,
            )

        return await mutate(info, PickingPayload, work)

    @strawberry.mutation(description="Confirm a draft picking: its moves reserve what they can.")
    async def picking_confirm(self, info: Info, id: PickingId) -> PickingPayload:
        return await _step(info, id, services.confirm_picking)

    @strawberry.mutation(
        description="Reserve what the picking still misses from stock available now, "
        "oldest stock first."
    )
    async def picking_reserve(self, info: Info, id: PickingId) -> PickingPayload:
        return await _step(info, id, services.reserve_picking)

    @strawberry.mutation(description="Give back what the picking reserved.")
    async def picking_unreserve(self, info: Info, id: PickingId) -> PickingPayload:
        return await _step(info, id, services.unreserve_picking)

    @strawberry.mutation(
        description="Cancel a picking that is not done; its reservations are released."
    )
    async def picking_cancel(self, info: Info, id: PickingId) -> PickingPayload:
        return await _step(info, id, services.cancel_picking)

    @strawberry.mutation(
        description="Validate a picking: its goods move. With less than the demand done, "
        "`backorder` says whether the rest becomes a backorder or is cancelled."
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
        return await mutate(
            info,
            PickingPayload,
            lambda uow, company_id: validation.validate_picking(
                uow,
                company_id,
                decode_id(id, "Picking", "id"),
                moves=given.done(),
                backorder=given.backorder,
                allow_over_delivery=given.allow_over_delivery,
            ),
        )

    @strawberry.mutation(
        description="Send back goods of a done picking: returns the new return picking, "
        "confirmed and reserved."
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
        return await mutate(
            info,
            PickingPayload,
            lambda uow, company_id: returns.return_picking(
                uow, company_id, decode_id(id, "Picking", "id"), given.quantities()
            ),
        )

    @strawberry.mutation(description="Write off free stock; returns the done scrap move.")
    async def stock_scrap(
        self,
        info: Info,
        input: Annotated[ScrapInput, strawberry.argument(description="What to scrap.")],
    ) -> MovePayload:
        async def work(uow: UnitOfWork, company_id: int) -> object:
            location = input.location_id
            lot = input.lot_id
            return await adjustments.scrap_product(
                uow,
                company_id,
                product_id=decode_id(input.product_id, "Product", "product_id"),
                quantity=input.quantity,
                location_id=decode_id(location, "Location", "location_id") if location else None,
                lot_id=decode_id(lot, "Lot", "lot_id") if lot else None,
                origin=input.origin,
            )

        return await mutate(info, MovePayload, work)

    @strawberry.mutation(
        description="Apply counts of a location's stock: each difference moves to or from the "
        "Inventory adjustment location, all in one transaction."
    )
    async def inventory_adjustment_apply(
        self,
        info: Info,
        input: Annotated[InventoryAdjustmentInput, strawberry.argument(description="The counts.")],
    ) -> InventoryAdjustmentPayload:
        return await mutate(
            info,
            InventoryAdjustmentPayload,
            lambda uow, company_id: adjustments.apply_inventory_adjustment(
                uow,
                company_id,
                decode_id(input.location_id, "Location", "location_id"),
                input.counted(),
                reason=input.reason,
                opening_balance=input.opening_balance,
            ),
        )
