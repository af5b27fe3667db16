"""Inventory's use cases and the permissions they and inventory's reads need."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from domain.core.dispatcher import Command, Permission, Step
from domain.core.uow import UnitOfWork
from domain.inventory import adjustments, returns, services, validation, warehouses
from domain.inventory.adjustments import CountedQuantity
from domain.inventory.models import Location, Move, Picking, Warehouse
from domain.inventory.returns import ReturnQuantity
from domain.inventory.services import MoveValues, PickingValues
from domain.inventory.validation import BackorderPolicy, MoveDone

INVENTORY_READ = Permission("inventory.read", "Read warehouses, stock, moves and transfers.")
INVENTORY_WRITE = Permission(
    "inventory.write", "Create transfers, adjust stock, manage warehouses and lots."
)
INVENTORY_VALIDATE = Permission(
    "inventory.validate", "Reserve, validate and cancel transfers; scrap; return goods."
)


@dataclass(frozen=True, kw_only=True)
class CreateWarehouse(Command[Warehouse]):
    """A warehouse with its Stock location and its operation types."""

    permission: ClassVar[Permission | None] = INVENTORY_WRITE
    name: str
    code: str

    async def handle(self, uow: UnitOfWork) -> Warehouse:
        return await warehouses.create_warehouse(
            uow, self.company_id, name=self.name, code=self.code
        )


@dataclass(frozen=True, kw_only=True)
class CreateLocation(Command[Location]):
    """A sub-location (a shelf, a bin) under `parent_id`."""

    permission: ClassVar[Permission | None] = INVENTORY_WRITE
    name: str
    parent_id: int

    async def handle(self, uow: UnitOfWork) -> Location:
        return await warehouses.create_location(
            uow, self.company_id, name=self.name, parent_id=self.parent_id
        )


@dataclass(frozen=True, kw_only=True)
class CreatePicking(Command[Picking]):
    """A draft picking with its moves."""

    permission: ClassVar[Permission | None] = INVENTORY_WRITE
    values: PickingValues
    moves: tuple[MoveValues, ...] = ()

    async def handle(self, uow: UnitOfWork) -> Picking:
        return await services.create_picking(uow, self.company_id, self.values, self.moves)


@dataclass(frozen=True, kw_only=True)
class CreateInternalTransfer(Command[Picking]):
    """A transfer between two internal locations, confirmed and reserved."""

    permission: ClassVar[Permission | None] = INVENTORY_WRITE
    source_location_id: int
    destination_location_id: int
    moves: tuple[MoveValues, ...]
    scheduled_date: dt.datetime | None = None

    async def handle(self, uow: UnitOfWork) -> Picking:
        return await services.create_internal_transfer(
            uow,
            self.company_id,
            source_location_id=self.source_location_id,
            destination_location_id=self.destination_location_id,
            moves=self.moves,
            scheduled_date=self.scheduled_date,
        )


@dataclass(frozen=True, kw_only=True)
class ConfirmPicking(Step[Picking]):
    """A draft picking confirmed: its moves reserve what they can."""

    permission: ClassVar[Permission | None] = INVENTORY_VALIDATE

    async def handle(self, uow: UnitOfWork) -> Picking:
        return await services.confirm_picking(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class ReservePicking(Step[Picking]):
    permission: ClassVar[Permission | None] = INVENTORY_VALIDATE

    async def handle(self, uow: UnitOfWork) -> Picking:
        return await services.reserve_picking(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class UnreservePicking(Step[Picking]):
    permission: ClassVar[Permission | None] = INVENTORY_VALIDATE

    async def handle(self, uow: UnitOfWork) -> Picking:
        return await services.unreserve_picking(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class CancelPicking(Step[Picking]):
    permission: ClassVar[Permission | None] = INVENTORY_VALIDATE

    async def handle(self, uow: UnitOfWork) -> Picking:
        return await services.cancel_picking(uow, self.company_id, self.id)


@dataclass(frozen=True, kw_only=True)
class ValidatePicking(Step[Picking]):
    """The picking's goods move: what `moves` says was done, the reserved rest by default."""

    permission: ClassVar[Permission | None] = INVENTORY_VALIDATE
    moves: tuple[MoveDone, ...] = ()
    backorder: BackorderPolicy | None = None
    allow_over_delivery: bool = False

    async def handle(self, uow: UnitOfWork) -> Picking:
        return await validation.validate_picking(
            uow,
            self.company_id,
            self.id,
            moves=self.moves,
            backorder=self.backorder,
            allow_over_delivery=self.allow_over_delivery,
        )


@dataclass(frozen=True, kw_only=True)
class ReturnPicking(Step[Picking]):
    """Goods of a done picking sent back; everything not returned yet by default."""

    permission: ClassVar[Permission | None] = INVENTORY_VALIDATE
    quantities: tuple[ReturnQuantity, ...] | None = None

    async def handle(self, uow: UnitOfWork) -> Picking:
        return await returns.return_picking(uow, self.company_id, self.id, self.quantities)


@dataclass(frozen=True, kw_only=True)
class ScrapStock(Command[Move]):
    """Free stock written off."""

    permission: ClassVar[Permission | None] = INVENTORY_VALIDATE
    product_id: int
    quantity: Decimal
    location_id: int | None = None
    lot_id: int | None = None
    #: The source document's name, for people to read.
    origin_name: str | None = None

    async def handle(self, uow: UnitOfWork) -> Move:
        return await adjustments.scrap_product(
            uow,
            self.company_id,
            product_id=self.product_id,
            quantity=self.quantity,
            location_id=self.location_id,
            lot_id=self.lot_id,
            origin_name=self.origin_name,
        )


@dataclass(frozen=True, kw_only=True)
class ApplyInventoryAdjustment(Command[list[Move]]):
    """Counts of a location's stock applied: each difference one done move."""

    permission: ClassVar[Permission | None] = INVENTORY_WRITE
    location_id: int
    counts: tuple[CountedQuantity, ...]
    reason: str | None = None
    #: Opening stock: its value is an opening balance, not a gain.
    opening_balance: bool = False

    async def handle(self, uow: UnitOfWork) -> list[Move]:
        return await adjustments.apply_inventory_adjustment(
            uow,
            self.company_id,
            self.location_id,
            self.counts,
            reason=self.reason,
            opening_balance=self.opening_balance,
        )
