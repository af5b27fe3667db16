"""Filtering and sorting sales orders, at the root and under a partner."""

from __future__ import annotations

import enum
from typing import Any

import strawberry
from sqlalchemy import Select

from api.context import Info
from api.filters import DateTimeRangeInput, DecimalRangeInput, in_range, text_search
from api.ids import decode_id, decode_ids
from api.pagination import ChildList, PageArgs, Sort, SortDirection
from api.sales.enums import InvoiceStatus, SaleOrderState
from domain.core.records import scoped
from domain.sales import models


@strawberry.input(description="Which sales orders to list; all given conditions must hold.")
class SaleOrderFilterInput:
    search: str | None = strawberry.field(
        default=None, description="Text contained in the number or the customer's reference."
    )
    ids: list[strawberry.ID] | None = strawberry.field(default=None, description="Only these.")
    state: list[SaleOrderState] | None = strawberry.field(
        default=None, description="In these states."
    )
    invoice_status: list[InvoiceStatus] | None = strawberry.field(
        default=None, description="With these invoice statuses, e.g. TO_INVOICE."
    )
    partner_id: strawberry.ID | None = strawberry.field(
        default=None, description="Of this customer."
    )
    date_order: DateTimeRangeInput | None = strawberry.field(
        default=None, description="Order date range."
    )
    amount_total: DecimalRangeInput | None = strawberry.field(
        default=None, description="Total range."
    )


@strawberry.enum(description="What sales orders can be sorted by.")
class SaleOrderSortField(enum.Enum):
    DATE_ORDER = strawberry.enum_value("date_order", description="Order date.")
    NAME = strawberry.enum_value("name", description="Order number.")
    AMOUNT_TOTAL = strawberry.enum_value("amount_total", description="Total amount.")
    STATE = strawberry.enum_value("state", description="State.")


@strawberry.input(description="Sort order of a sales order list.")
class SaleOrderSortInput:
    field: SaleOrderSortField = strawberry.field(description="What to sort by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.DESC, description="Descending (default) or ascending."
    )


def sale_order_sort(sort_by: SaleOrderSortInput | None) -> Sort:
    sort_by = sort_by or SaleOrderSortInput(field=SaleOrderSortField.DATE_ORDER)
    order = models.SaleOrder
    column = {
        SaleOrderSortField.DATE_ORDER: order.date_order,
        SaleOrderSortField.NAME: order.name,
        SaleOrderSortField.AMOUNT_TOTAL: order.amount_total,
        SaleOrderSortField.STATE: order.state,
    }[sort_by.field]
    return Sort(column, order.id, descending=sort_by.direction is SortDirection.DESC)


def sale_order_query(info: Info, where: SaleOrderFilterInput | None) -> Select[Any]:
    order = models.SaleOrder
    where = where or SaleOrderFilterInput()
    query = scoped(order, [info.context.company_id]).where(
        *text_search(where.search, order.name, order.client_order_ref)
    )
    if where.ids is not None:
        query = query.where(order.id.in_(decode_ids(where.ids, "SaleOrder", "ids")))
    if where.state:
        query = query.where(order.state.in_(where.state))
    if where.invoice_status:
        query = query.where(order.invoice_status.in_(where.invoice_status))
    if where.partner_id is not None:
        query = query.where(
            order.partner_id == decode_id(where.partner_id, "Partner", "partner_id")
        )
    query = in_range(query, order.date_order, where.date_order)
    return in_range(query, order.amount_total, where.amount_total)


def sale_order_children(
    info: Info,
    where: SaleOrderFilterInput | None,
    sort_by: SaleOrderSortInput | None,
    args: PageArgs,
) -> ChildList:
    """A customer's orders, as a nested connection batched across customers."""
    return ChildList(
        parent=models.SaleOrder.partner_id,
        query=sale_order_query(info, where),
        sort=sale_order_sort(sort_by),
        args=args,
        key=("partner.orders", repr(where), repr(sort_by), args),
    )
