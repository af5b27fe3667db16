"""Inputs of the inventory mutations; each turns itself into the service's values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry

from api.ids import decode_id
from api.inventory.enums import BackorderPolicy
from domain.core.errors import DomainError
from domain.inventory.adjustments import CountedQuantity
from domain.inventory.returns import ReturnQuantity
from domain.inventory.services import MoveValues, PickingValues
from domain.inventory.validation import LotQuantity, MoveDone


def _optional_id(value: strawberry.ID | None, type_name: str, field: str) -> int | None:
    return decode_id(value, type_name, field) if value is not None else None


@strawberry.input(description="A new warehouse.")
class WarehouseCreateInput:
    name: str = strawberry.field(description="Name, unique in the company.")
    code: str = strawberry.field(
        description="Short code, unique in the company (1 to 8 characters), e.g. WH2."
    )


@strawberry.input(description="A new sub-location, e.g. a shelf under a warehouse's Stock.")
class LocationCreateInput:
    name: str = strawberry.field(description="Name, unique among its siblings.")
    parent_id: strawberry.ID = strawberry.field(
        description="The internal (or view) location it goes under."
    )


@strawberry.input(description="A product to move, and how much.")
class MoveInput:
    product_id: strawberry.ID = strawberry.field(description="The product.")
    quantity: Decimal = strawberry.field(description="Demand, in `uomId`.")
    uom_id: strawberry.ID | None = strawberry.field(
        default=None, description="Unit of the quantity; the product's by default."
    )
    name: str | None = strawberry.field(
        default=None, description="Description; the product's name by default."
    )
    price_unit: Decimal | None = strawberry.field(
        default=None,
        description="Unit cost of goods coming into stock, per product unit, in the company "
        "currency; the product's cost by default.",
    )


def _moves(moves: list[MoveInput]) -> tuple[MoveValues, ...]:
    values = []
    for index, move in enumerate(moves):
        try:
            entry: MoveValues = {
                "product_id": decode_id(move.product_id, "Product", "product_id"),
                "quantity": move.quantity,
            }
            if move.uom_id is not None:
                entry["uom_id"] = decode_id(move.uom_id, "Uom", "uom_id")
        except DomainError as error:
            raise error.at("moves", str(index)) from None
        if move.name:
            entry["name"] = move.name
        if move.price_unit is not None:
            entry["price_unit"] = move.price_unit
        values.append(entry)
    return tuple(values)


@strawberry.input(description="A new draft picking (a receipt by hand, a transfer) and its moves.")
class PickingCreateInput:
    operation_type_id: strawberry.ID = strawberry.field(
        description="Its operation type, which numbers it and gives default locations."
    )
    moves: list[MoveInput] = strawberry.field(description="The products to move.")
    partner_id: strawberry.ID | None = strawberry.field(
        default=None, description="The vendor or customer."
    )
    scheduled_date: dt.datetime | None = strawberry.field(
        default=None, description="When it is planned; now by default."
    )
    origin: str | None = strawberry.field(default=None, description="The document it comes from.")
    source_location_id: strawberry.ID | None = strawberry.field(
        default=None, description="Where the goods come from; the operation type's default."
    )
    destination_location_id: strawberry.ID | None = strawberry.field(
        default=None, description="Where the goods go; the operation type's default."
    )

    def values(self) -> PickingValues:
        values: PickingValues = {
            "operation_type_id": decode_id(
                self.operation_type_id, "OperationType", "operation_type_id"
            ),
            "partner_id": _optional_id(self.partner_id, "Partner", "partner_id"),
            "origin_name": self.origin,
        }
        if self.scheduled_date is not None:
            values["scheduled_date"] = self.scheduled_date
        for key, given in (
            ("source_location_id", self.source_location_id),
            ("destination_location_id", self.destination_location_id),
        ):
            if given is not None:
                values[key] = decode_id(given, "Location", key)  # type: ignore[literal-required]
        return values

    def move_values(self) -> tuple[MoveValues, ...]:
        return _moves(self.moves)


@strawberry.input(description="Goods to move between two internal locations.")
class InternalTransferInput:
    source_location_id: strawberry.ID = strawberry.field(description="Where the goods are.")
    destination_location_id: strawberry.ID = strawberry.field(
        description="Where they go: another internal location."
    )
    moves: list[MoveInput] = strawberry.field(description="The products to move.")
    scheduled_date: dt.datetime | None = strawberry.field(
        default=None, description="When it is planned; now by default."
    )

    def ends(self) -> tuple[int, int]:
        return (
            decode_id(self.source_location_id, "Location", "source_location_id"),
            decode_id(self.destination_location_id, "Location", "destination_location_id"),
        )

    def move_values(self) -> tuple[MoveValues, ...]:
        return _moves(self.moves)


@strawberry.input(description="A quantity of one lot or serial number, by ID or by name.")
class LotQuantityInput:
    quantity: Decimal = strawberry.field(
        description="In the product's unit; 1 for a serial number."
    )
    lot_id: strawberry.ID | None = strawberry.field(default=None, description="An existing lot.")
    lot_name: str | None = strawberry.field(
        default=None,
        description="A lot by name; goods coming in under a new name create the lot.",
    )


@strawberry.input(description="What was done of one move.")
class MoveDoneInput:
    move_id: strawberry.ID = strawberry.field(description="A move of the picking.")
    quantity: Decimal | None = strawberry.field(
        default=None,
        description="Done, in the product's unit; the sum of `lots` when left out.",
    )
    lots: list[LotQuantityInput] = strawberry.field(
        default_factory=list, description="The lots or serial numbers done, for tracked products."
    )


@strawberry.input(description="How to validate a picking.")
class PickingValidateInput:
    moves: list[MoveDoneInput] = strawberry.field(
        default_factory=list,
        description="Done quantities; a move left out is done for what it has reserved.",
    )
    backorder: BackorderPolicy | None = strawberry.field(
        default=None,
        description="What happens to what is not done; required when less than the demand is.",
    )
    allow_over_delivery: bool = strawberry.field(
        default=False, description="Allow doing more than the demand."
    )

    def done(self) -> tuple[MoveDone, ...]:
        done = []
        for index, move in enumerate(self.moves):
            try:
                lots = [
                    LotQuantity(
                        quantity=lot.quantity,
                        lot_id=_optional_id(lot.lot_id, "Lot", "lot_id"),
                        lot_name=lot.lot_name,
                    )
                    for lot in move.lots
                ]
                done.append(
                    MoveDone(
                        move_id=decode_id(move.move_id, "Move", "move_id"),
                        quantity=move.quantity,
                        lots=lots,
                    )
                )
            except DomainError as error:
                raise error.at("moves", str(index)) from None
        return tuple(done)


@strawberry.input(description="How much of one done move to send back.")
class ReturnLineInput:
    move_id: strawberry.ID = strawberry.field(description="A done move of the picking.")
    quantity: Decimal = strawberry.field(description="In the product's unit.")


@strawberry.input(description="What to send back of a done picking.")
class PickingReturnInput:
    moves: list[ReturnLineInput] | None = strawberry.field(
        default=None, description="What to return; everything not returned yet by default."
    )

    def quantities(self) -> tuple[ReturnQuantity, ...] | None:
        if self.moves is None:
            return None
        quantities = []
        for index, line in enumerate(self.moves):
            try:
                quantities.append(
                    ReturnQuantity(decode_id(line.move_id, "Move", "move_id"), line.quantity)
                )
            except DomainError as error:
                raise error.at("moves", str(index)) from None
        return tuple(quantities)


@strawberry.input(description="Goods to write off.")
class ScrapInput:
    product_id: strawberry.ID = strawberry.field(description="A storable product.")
    quantity: Decimal = strawberry.field(description="In the product's unit.")
    location_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Where the goods are (and below); the first warehouse's Stock by default.",
    )
    lot_id: strawberry.ID | None = strawberry.field(
        default=None, description="The lot or serial number to scrap, for tracked products."
    )
    origin: str | None = strawberry.field(default=None, description="Why, or the document.")


@strawberry.input(description="A counted quantity of a product (and lot) in the location.")
class InventoryCountInput:
    product_id: strawberry.ID = strawberry.field(description="A storable product.")
    quantity: Decimal = strawberry.field(description="Counted, in the product's unit.")
    lot_id: strawberry.ID | None = strawberry.field(default=None, description="An existing lot.")
    lot_name: str | None = strawberry.field(
        default=None, description="A lot by name; a new name creates the lot."
    )


@strawberry.input(description="Counts of a location's stock to apply.")
class InventoryAdjustmentInput:
    location_id: strawberry.ID = strawberry.field(
        description="The internal location counted (itself, not its sub-locations)."
    )
    counts: list[InventoryCountInput] = strawberry.field(description="What was counted.")
    reason: str | None = strawberry.field(
        default=None, description="Why, shown as the moves' origin."
    )
    opening_balance: bool = strawberry.field(
        default=False,
        description="The counts are the stock the books open with: valued against the "
        "Opening Balance equity account instead of Expenses, so counting earns no profit.",
    )

    def counted(self) -> tuple[CountedQuantity, ...]:
        counted = []
        for index, count in enumerate(self.counts):
            try:
                counted.append(
                    CountedQuantity(
                        product_id=decode_id(count.product_id, "Product", "product_id"),
                        quantity=count.quantity,
                        lot_id=_optional_id(count.lot_id, "Lot", "lot_id"),
                        lot_name=count.lot_name,
                    )
                )
            except DomainError as error:
                raise error.at("counts", str(index)) from None
        return tuple(counted)
