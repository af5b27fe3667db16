"""The inventory part of the schema documents itself, and schema.graphql is the live schema."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
)

from api.schema import build_schema
from domain.core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
INVENTORY_TYPES = {
    "Warehouse", "Location", "OperationType", "Lot", "Quant", "MoveLine", "Move", "Picking",
    "ProductAvailability", "InventoryError", "LocationUsage", "PickingTypeCode", "MoveState",
    "PickingState", "BackorderPolicy", "InventoryErrorCode", "DeliveryStatus", "Tracking",
    "WarehouseFilterInput", "LocationFilterInput", "QuantFilterInput", "QuantSortInput",
    "QuantSortField", "PickingFilterInput", "PickingSortInput", "PickingSortField",
    "MoveFilterInput", "LotFilterInput", "WarehouseCreateInput", "LocationCreateInput",
    "MoveInput", "PickingCreateInput", "InternalTransferInput", "LotQuantityInput",
    "MoveDoneInput", "PickingValidateInput", "ReturnLineInput", "PickingReturnInput",
    "ScrapInput", "InventoryCountInput", "InventoryAdjustmentInput", "WarehousePayload",
    "LocationPayload", "PickingPayload", "MovePayload", "InventoryAdjustmentPayload",
}  # fmt: skip
#: Fields this area added to other types, and its root fields.
INVENTORY_FIELDS = {
    "SaleOrder": {"deliveries", "deliveryStatus"},
    "Product": {"availability", "tracking"},
    "ProductInput": {"tracking"},
    "Query": {"warehouses", "locations", "quants", "pickings", "picking", "moves", "lots"},
    "Mutation": {
        "warehouseCreate", "locationCreate", "pickingCreate", "internalTransferCreate",
        "pickingConfirm", "pickingReserve", "pickingUnreserve", "pickingCancel",
        "pickingValidate", "pickingReturn", "stockScrap", "inventoryAdjustmentApply",
    },
}  # fmt: skip


def _undocumented(named: GraphQLNamedType, fields: set[str] | None) -> list[str]:
    missing = [] if named.description or fields is not None else [named.name]
    if isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
        for field_name, field in named.fields.items():
            if fields is not None and field_name not in fields:
                continue
            if not field.description:
                missing.append(f"{named.name}.{field_name}")
            for argument_name, argument in getattr(field, "args", {}).items():
                if not argument.description:
                    missing.append(f"{named.name}.{field_name}({argument_name})")
    if isinstance(named, GraphQLEnumType):
        missing += [
            f"{named.name}.{value_name}"
            for value_name, value in named.values.items()
            if not value.description
        ]
    return missing


def test_every_inventory_type_field_argument_and_value_is_described() -> None:
    schema = build_schema(Settings())._schema
    missing = []
    for name in INVENTORY_TYPES:
        named = schema.get_type(name)
        assert named is not None, name
        missing += _undocumented(named, None)
    for name, fields in INVENTORY_FIELDS.items():
        named = schema.get_type(name)
        assert named is not None, name
        assert fields <= set(named.fields), name  # type: ignore[attr-defined]
        missing += _undocumented(named, fields)
    assert missing == []


def test_schema_file_matches_the_live_schema() -> None:
    live = build_schema(Settings()).as_str() + "\n"
    assert (ROOT / "schema.graphql").read_text() == live, "run `erp schema export`"
