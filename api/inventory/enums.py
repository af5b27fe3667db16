"""Inventory enums as GraphQL enums; import them from here so they are described first."""

from __future__ import annotations

from api.enums import graphql_enum
from domain.inventory.errors import InventoryErrorCode
from domain.inventory.models import LocationUsage, MoveState, PickingState, PickingTypeCode
from domain.inventory.validation import BackorderPolicy

__all__ = [
    "BackorderPolicy",
    "InventoryErrorCode",
    "LocationUsage",
    "MoveState",
    "PickingState",
    "PickingTypeCode",
]

graphql_enum(
    LocationUsage,
    "What a location is for. Only internal locations hold stock.",
    {
        "VIEW": "Groups other locations, e.g. a warehouse's root; holds no stock.",
        "INTERNAL": "Our own stock: a warehouse's Stock, its shelves and bins.",
        "CUSTOMER": "Where deliveries go.",
        "VENDOR": "Where receipts come from.",
        "PRODUCTION": "Where goods are consumed and produced by manufacturing.",
        "INVENTORY": "The counterpart of inventory adjustments.",
        "SCRAP": "Where scrapped goods go.",
    },
)

graphql_enum(
    PickingTypeCode,
    "The kind of operation a picking is.",
    {
        "RECEIPT": "Goods come in from outside (vendors, customers' returns).",
        "DELIVERY": "Goods go out to customers (or back to vendors).",
        "INTERNAL": "Goods move between internal locations.",
    },
)

graphql_enum(
    MoveState,
    "Where a move stands. Allowed moves: draft → waiting, confirmed or cancel; waiting → "
    "confirmed or cancel; confirmed, partiallyAvailable and assigned → one another as "
    "reservations change, done or cancel. Done and cancel are final.",
    {
        "DRAFT": "Being prepared; reserves nothing.",
        "WAITING": "Waits for another operation to finish first.",
        "CONFIRMED": "Waits for stock: nothing reserved yet.",
        "PARTIALLY_AVAILABLE": "Part of the demand is reserved.",
        "ASSIGNED": "All of the demand is reserved: ready.",
        "DONE": "The goods moved; quants changed.",
        "CANCEL": "Will not happen; reserves nothing.",
    },
)

graphql_enum(
    PickingState,
    "Where a picking stands, derived from its moves: draft if any move is draft; cancel if "
    "all are cancelled; done if all are done or cancelled; else, of the open moves, assigned "
    "if all are reserved, partiallyAvailable if some are, waiting or confirmed otherwise.",
    {
        "DRAFT": "Being prepared: confirm it (`pickingConfirm`) to reserve.",
        "WAITING": "Waits for another operation to finish first.",
        "CONFIRMED": "Waits for stock: nothing reserved yet.",
        "PARTIALLY_AVAILABLE": "Some of its goods are reserved.",
        "ASSIGNED": "All of its goods are reserved: ready to validate.",
        "DONE": "Validated: its goods moved.",
        "CANCEL": "Cancelled: nothing moved, nothing reserved.",
    },
)

graphql_enum(
    BackorderPolicy,
    "What happens to what a validated picking did not do.",
    {
        "CREATE": "A new picking (a backorder, linked to this one) takes the rest.",
        "NO_BACKORDER": "The rest is cancelled.",
    },
)

graphql_enum(
    InventoryErrorCode,
    "Why an inventory change was refused.",
    {
        "INVALID": "A value is not acceptable (see the message).",
        "NOT_FOUND": "A referenced record does not exist in this company.",
        "REQUIRED": "A required value is missing.",
        "UNIQUE": "Another record has this value already.",
        "CONCURRENT_UPDATE": "Concurrent changes kept conflicting; try again.",
        "INCOMPATIBLE_UNITS": "The unit does not convert to the product's unit.",
        "INVALID_TRANSITION": "The picking or move is not in a state allowing this.",
        "INSUFFICIENT_STOCK": "Not enough free stock where the goods come from.",
        "BACKORDER_CHOICE_REQUIRED": "Less than the demand is done: say whether to backorder.",
        "OVER_DELIVERY": "More than the demand is done without allowing over-delivery.",
        "NOTHING_TO_VALIDATE": "No quantity is done or reserved.",
        "LOT_REQUIRED": "The product is tracked: give the lots or serial numbers.",
        "SERIAL_QUANTITY": "A serial number is exactly one unit.",
        "SERIAL_IN_STOCK": "The serial number is in stock already (or given twice).",
        "NOT_STORABLE": "The product has no stock (a consumable or a service).",
        "RETURN_EXCEEDS_DONE": "More than was done (and not yet returned) is sent back.",
    },
)
