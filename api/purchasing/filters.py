"""Filtering and sorting purchase orders and vendor prices, at the root and nested."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import strawberry
from sqlalchemy import Select, or_

from api.context import Info
from api.filters import DateTimeRangeInput, DecimalRangeInput, in_range, text_search
from api.ids import decode_id, decode_ids
from api.pagination import ChildList, PageArgs, Sort, SortDirection
from api.purchasing.enums import BillStatus, PurchaseOrderState, ReceiptStatus, ReplenishmentRoute
from domain.core.records import scoped
from domain.purchasing import models


@strawberry.input(description="Which purchase orders to list; all given conditions must hold.")
class PurchaseOrderFilterInput:
    search: str | None = strawberry.field(
        default=None, description="Text contained in the number or the vendor's reference."
    )
    ids: list[strawberry.ID] | None = strawberry.field(default=None, description="Only these.")
    state: list[PurchaseOrderState] | None = strawberry.field(
        default=None, description="In these states."
    )
    receipt_status: list[ReceiptStatus] | None = strawberry.field(
        default=None, description="With these receipt statuses."
    )
    bill_status: list[BillStatus] | None = strawberry.field(
        default=None, description="With these bill statuses, e.g. TO_BILL."
    )
    partner_id: strawberry.ID | None = strawberry.field(default=None, description="Of this vendor.")
    date_order: DateTimeRangeInput | None = strawberry.field(
        default=None, description="Order date range."
    )
    amount_total: DecimalRangeInput | None = strawberry.field(
        default=None, description="Total range."
    )


@strawberry.enum(description="What purchase orders can be sorted by.")
class PurchaseOrderSortField(enum.Enum):
    DATE_ORDER = strawberry.enum_value("date_order", description="Order date.")
    NAME = strawberry.enum_value("name", description="Order number.")
    AMOUNT_TOTAL = strawberry.enum_value("amount_total", description="Total amount.")
    STATE = strawberry.enum_value("state", description="State.")


@strawberry.input(description="Sort order of a purchase order list.")
class PurchaseOrderSortInput:
    field: PurchaseOrderSortField = strawberry.field(description="What to sort by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.DESC, description="Descending (default) or ascending."
    )


def purchase_order_sort(sort_by: PurchaseOrderSortInput | None) -> Sort:
    sort_by = sort_by or PurchaseOrderSortInput(field=PurchaseOrderSortField.DATE_ORDER)
    order = models.PurchaseOrder
    column = {
        PurchaseOrderSortField.DATE_ORDER: order.date_order,
        PurchaseOrderSortField.NAME: order.name,
        PurchaseOrderSortField.AMOUNT_TOTAL: order.amount_total,
        PurchaseOrderSortField.STATE: order.state,
    }[sort_by.field]
    return Sort(column, order.id, descending=sort_by.direction is SortDirection.DESC)


def purchase_order_query(info: Info, where: PurchaseOrderFilterInput | None) -> Select[Any]:
    order = models.PurchaseOrder
    where = where or PurchaseOrderFilterInput()
    query = scoped(order, [info.context.company_id]).where(
        *text_search(where.search, order.name, order.partner_ref)
    )
    if where.ids is not None:
        query = query.where(order.id.in_(decode_ids(where.ids, "PurchaseOrder", "ids")))
    if where.state:
        query = query.where(order.state.in_(where.state))
    if where.receipt_status:
        query = query.where(order.receipt_status.in_(where.receipt_status))
    if where.bill_status:
        query = query.where(order.bill_status.in_(where.bill_status))
    if where.partner_id is not None:
        query = query.where(
            order.partner_id == decode_id(where.partner_id, "Partner", "partner_id")
        )
    query = in_range(query, order.date_order, where.date_order)
    return in_range(query, order.amount_total, where.amount_total)


def purchase_order_children(
    info: Info,
    where: PurchaseOrderFilterInput | None,
    sort_by: PurchaseOrderSortInput | None,
    args: PageArgs,
) -> ChildList:
    """A vendor's purchase orders, as a nested connection batched across vendors."""
    return ChildList(
        parent=models.PurchaseOrder.partner_id,
        query=purchase_order_query(info, where),
        sort=purchase_order_sort(sort_by),
        args=args,
        key=("partner.purchase_orders", repr(where), repr(sort_by), args),
    )


@strawberry.input(description="Which vendor prices to list; all given conditions must hold.")
class VendorPriceFilterInput:
    ids: list[strawberry.ID] | None = strawberry.field(default=None, description="Only these.")
    product_id: strawberry.ID | None = strawberry.field(
        default=None, description="Of this product."
    )
    partner_id: strawberry.ID | None = strawberry.field(default=None, description="Of this vendor.")
    valid_on: dt.date | None = strawberry.field(
        default=None, description="Valid on this day (within its dates, or undated)."
    )


@strawberry.enum(description="What vendor prices can be sorted by.")
class VendorPriceSortField(enum.Enum):
    PRICE = strawberry.enum_value("price", description="Price (in each price's currency).")
    LEAD_DAYS = strawberry.enum_value("lead_days", description="Lead time.")
    MIN_QUANTITY = strawberry.enum_value("min_quantity", description="Minimum quantity.")


@strawberry.input(description="Sort order of a vendor price list.")
class VendorPriceSortInput:
    field: VendorPriceSortField = strawberry.field(description="What to sort by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="Ascending (default) or descending."
    )


def vendor_price_sort(sort_by: VendorPriceSortInput | None) -> Sort:
    sort_by = sort_by or VendorPriceSortInput(field=VendorPriceSortField.PRICE)
    price = models.VendorPrice
    column = {
        VendorPriceSortField.PRICE: price.price,
        VendorPriceSortField.LEAD_DAYS: price.lead_days,
        VendorPriceSortField.MIN_QUANTITY: price.min_quantity,
    }[sort_by.field]
    return Sort(column, price.id, descending=sort_by.direction is SortDirection.DESC)


def vendor_price_query(info: Info, where: VendorPriceFilterInput | None) -> Select[Any]:
    price = models.VendorPrice
    where = where or VendorPriceFilterInput()
    query = scoped(price, [info.context.company_id])
    if where.ids is not None:
        query = query.where(price.id.in_(decode_ids(where.ids, "VendorPrice", "ids")))
    if where.product_id is not None:
        query = query.where(
            price.product_id == decode_id(where.product_id, "Product", "product_id")
        )
    if where.partner_id is not None:
        query = query.where(
            price.partner_id == decode_id(where.partner_id, "Partner", "partner_id")
        )
    if where.valid_on is not None:
        query = query.where(
            or_(price.date_start.is_(None), price.date_start <= where.valid_on),
            or_(price.date_end.is_(None), price.date_end >= where.valid_on),
        )
    return query


@strawberry.input(description="Which reorder rules to list; all given conditions must hold.")
class ReorderRuleFilterInput:
    ids: list[strawberry.ID] | None = strawberry.field(default=None, description="Only these.")
    product_id: strawberry.ID | None = strawberry.field(
        default=None, description="Of this product."
    )
    warehouse_id: strawberry.ID | None = strawberry.field(
        default=None, description="Of this warehouse."
    )
    route: list[ReplenishmentRoute] | None = strawberry.field(
        default=None, description="With these routes."
    )
    skipped: bool | None = strawberry.field(
        default=None, description="True: only rules the last scan skipped, with a reason."
    )


@strawberry.enum(description="What reorder rules can be sorted by.")
class ReorderRuleSortField(enum.Enum):
    CREATED_AT = strawberry.enum_value("created_at", description="When it was created.")
    MIN_QUANTITY = strawberry.enum_value("min_quantity", description="Minimum.")
    MAX_QUANTITY = strawberry.enum_value("max_quantity", description="Maximum.")


@strawberry.input(description="Sort order of a reorder rule list.")
class ReorderRuleSortInput:
    field: ReorderRuleSortField = strawberry.field(description="What to sort by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="Ascending (default) or descending."
    )


def reorder_rule_sort(sort_by: ReorderRuleSortInput | None) -> Sort:
    sort_by = sort_by or ReorderRuleSortInput(field=ReorderRuleSortField.CREATED_AT)
    rule = models.ReorderRule
    column = {
        ReorderRuleSortField.CREATED_AT: rule.created_at,
        ReorderRuleSortField.MIN_QUANTITY: rule.min_quantity,
        ReorderRuleSortField.MAX_QUANTITY: rule.max_quantity,
    }[sort_by.field]
    return Sort(column, rule.id, descending=sort_by.direction is SortDirection.DESC)


def reorder_rule_query(info: Info, where: ReorderRuleFilterInput | None) -> Select[Any]:
    rule = models.ReorderRule
    where = where or ReorderRuleFilterInput()
    query = scoped(rule, [info.context.company_id])
    if where.ids is not None:
        query = query.where(rule.id.in_(decode_ids(where.ids, "ReorderRule", "ids")))
    if where.product_id is not None:
        query = query.where(rule.product_id == decode_id(where.product_id, "Product", "product_id"))
    if where.warehouse_id is not None:
        query = query.where(
            rule.warehouse_id == decode_id(where.warehouse_id, "Warehouse", "warehouse_id")
        )
    if where.route:
        query = query.where(rule.route.in_(where.route))
    if where.skipped is not None:
        reason = rule.skip_reason
        query = query.where(reason.is_not(None) if where.skipped else reason.is_(None))
    return query
