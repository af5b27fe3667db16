"""Filtering and sorting the accounting lists."""

from __future__ import annotations

import enum
from typing import Any

import strawberry
from sqlalchemy import Select, and_, func, not_

from api.accounting.enums import EntryState, MoveType, PaymentState, PaymentStatus
from api.context import Info
from api.filters import DateRangeInput, DecimalRangeInput, in_range, text_search
from api.ids import decode_id
from api.pagination import Sort, SortDirection
from domain.accounting import models
from domain.core.db import utcnow
from domain.core.records import scoped

#: Payment states of invoices with something left to pay.
OPEN_PAYMENT_STATES = (models.PaymentState.NOT_PAID, models.PaymentState.PARTIAL)


@strawberry.input(description="Which invoices to list; all given conditions must hold.")
class InvoiceFilterInput:
    search: str | None = strawberry.field(default=None, description="Text in number or reference.")
    move_type: list[MoveType] | None = strawberry.field(default=None, description="Of these kinds.")
    state: list[EntryState] | None = strawberry.field(default=None, description="In these states.")
    payment_state: list[PaymentState] | None = strawberry.field(
        default=None, description="Settled this far."
    )
    partner_id: strawberry.ID | None = strawberry.field(
        default=None, description="Of this partner."
    )
    date: DateRangeInput | None = strawberry.field(default=None, description="Invoice date range.")
    date_due: DateRangeInput | None = strawberry.field(
        default=None, description="Last due date in this range."
    )
    overdue: bool | None = strawberry.field(
        default=None,
        description="True: posted, not paid in full and due before today; false: the others.",
    )
    amount_total: DecimalRangeInput | None = strawberry.field(
        default=None, description="Total between these."
    )


@strawberry.enum(description="What invoices can be sorted by.")
class InvoiceSortField(enum.Enum):
    DATE = strawberry.enum_value("date", description="Invoice date.")
    NUMBER = strawberry.enum_value("number", description="Number.")
    AMOUNT_TOTAL = strawberry.enum_value("amount_total", description="Total.")
    DUE = strawberry.enum_value("invoice_date_due", description="Last due date.")


@strawberry.input(description="Sort order of an invoice list.")
class InvoiceSortInput:
    field: InvoiceSortField = strawberry.field(description="What to sort by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.DESC, description="Descending (default) or ascending."
    )


def invoice_sort(sort_by: InvoiceSortInput | None) -> Sort:
    sort_by = sort_by or InvoiceSortInput(field=InvoiceSortField.DATE)
    entry = models.JournalEntry
    column = {
        InvoiceSortField.DATE: entry.date,
        InvoiceSortField.NUMBER: entry.number,
        InvoiceSortField.AMOUNT_TOTAL: entry.amount_total,
        InvoiceSortField.DUE: entry.invoice_date_due,
    }[sort_by.field]
    return Sort(column, entry.id, descending=sort_by.direction is SortDirection.DESC)


def invoice_query(info: Info, where: InvoiceFilterInput | None) -> Select[Any]:
    entry = models.JournalEntry
    where = where or InvoiceFilterInput()
    query = scoped(entry, [info.context.company_id]).where(
        entry.move_type.in_(where.move_type or models.INVOICE_TYPES),
        *text_search(where.search, entry.number, entry.ref),
    )
    if where.state:
        query = query.where(entry.state.in_(where.state))
    if where.payment_state:
        query = query.where(entry.payment_state.in_(where.payment_state))
    if where.partner_id is not None:
        query = query.where(
            entry.partner_id == decode_id(where.partner_id, "Partner", "partner_id")
        )
    if where.overdue is not None:
        overdue = and_(
            entry.state == models.EntryState.POSTED,
            entry.payment_state.in_(OPEN_PAYMENT_STATES),
            func.coalesce(entry.invoice_date_due, entry.date) < utcnow().date(),
        )
        query = query.where(overdue if where.overdue else not_(overdue))
    query = in_range(query, entry.date, where.date)
    query = in_range(query, entry.invoice_date_due, where.date_due)
    return in_range(query, entry.amount_total, where.amount_total)


@strawberry.input(description="Which journal entries (not invoices) to list.")
class EntryFilterInput:
    journal_id: strawberry.ID | None = strawberry.field(
        default=None, description="In this journal."
    )
    state: list[EntryState] | None = strawberry.field(default=None, description="In these states.")
    date: DateRangeInput | None = strawberry.field(default=None, description="Date range.")


def entry_query(info: Info, where: EntryFilterInput | None) -> Select[Any]:
    entry = models.JournalEntry
    where = where or EntryFilterInput()
    query = scoped(entry, [info.context.company_id]).where(entry.move_type == models.MoveType.ENTRY)
    if where.journal_id is not None:
        query = query.where(
            entry.journal_id == decode_id(where.journal_id, "Journal", "journal_id")
        )
    if where.state:
        query = query.where(entry.state.in_(where.state))
    return in_range(query, entry.date, where.date)


@strawberry.input(description="Which payments to list.")
class PaymentFilterInput:
    partner_id: strawberry.ID | None = strawberry.field(
        default=None, description="Of this partner."
    )
    date: DateRangeInput | None = strawberry.field(default=None, description="Date range.")
    status: list[PaymentStatus] | None = strawberry.field(
        default=None, description="In one of these statuses."
    )


def payment_query(info: Info, where: PaymentFilterInput | None) -> Select[Any]:
    payment = models.Payment
    where = where or PaymentFilterInput()
    query = scoped(payment, [info.context.company_id])
    if where.partner_id is not None:
        query = query.where(
            payment.partner_id == decode_id(where.partner_id, "Partner", "partner_id")
        )
    if where.status:
        query = query.where(payment.status.in_(where.status))
    return in_range(query, payment.date, where.date)
