"""Accounting queries: chart, journals, payment terms, entries, invoices and payments."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.tools import merge_types

from api.accounting.filters import (
    EntryFilterInput,
    InvoiceFilterInput,
    InvoiceSortInput,
    PaymentFilterInput,
    entry_query,
    invoice_query,
    invoice_sort,
    payment_query,
)
from api.accounting.reports import ReportQuery
from api.accounting.types import Account, Invoice, Journal, JournalEntry, Payment, PaymentTerm
from api.context import Info
from api.pagination import (
    FILTER,
    SORT,
    After,
    Before,
    Connection,
    First,
    Last,
    PageArgs,
    Sort,
    root_connection,
)
from domain.accounting import models
from domain.core.records import scoped


@strawberry.type
class LedgerQuery:
    @strawberry.field(description="The chart of accounts, by code.")
    async def accounts(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Account]:
        return await root_connection(
            info.context.session,
            scoped(models.Account, [info.context.company_id]),
            Sort(models.Account.code, models.Account.id),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="The journals, by code.")
    async def journals(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Journal]:
        return await root_connection(
            info.context.session,
            scoped(models.Journal, [info.context.company_id]),
            Sort(models.Journal.code, models.Journal.id),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="The payment terms, by name.")
    async def payment_terms(self, info: Info) -> list[PaymentTerm]:
        query = scoped(models.PaymentTerm, [info.context.company_id]).order_by(
            models.PaymentTerm.name
        )
        return list(await info.context.session.scalars(query))

    @strawberry.field(description="Invoices, bills and credit notes; latest first by default.")
    async def invoices(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[InvoiceFilterInput | None, FILTER] = None,
        sort_by: Annotated[InvoiceSortInput | None, SORT] = None,
    ) -> Connection[Invoice]:
        return await root_connection(
            info.context.session,
            invoice_query(info, filter),
            invoice_sort(sort_by),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="An invoice by its number, e.g. INV/2026/00001.")
    async def invoice(
        self,
        info: Info,
        number: Annotated[str, strawberry.argument(description="The number.")],
    ) -> Invoice | None:
        query = invoice_query(info, None).where(models.JournalEntry.number == number)
        return (await info.context.session.scalars(query)).first()

    @strawberry.field(description="Journal entries that are not invoices; latest first.")
    async def journal_entries(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[EntryFilterInput | None, FILTER] = None,
    ) -> Connection[JournalEntry]:
        return await root_connection(
            info.context.session,
            entry_query(info, filter),
            Sort(models.JournalEntry.date, models.JournalEntry.id, descending=True),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="Payments, latest first.")
    async def payments(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[PaymentFilterInput | None, FILTER] = None,
    ) -> Connection[Payment]:
        return await root_connection(
            info.context.session,
            payment_query(info, filter),
            Sort(models.Payment.date, models.Payment.id, descending=True),
            PageArgs(first, after, last, before),
        )


AccountingQuery = merge_types("AccountingQuery", (LedgerQuery, ReportQuery))
