"""Companies, currencies and units of measure."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy import select

from api.context import Info
from api.core.filters import CurrencyRateFilterInput, currency_rate_query
from api.core.types import Company, Currency, CurrencyRate, Uom, UomCategory
from api.pagination import (
    FILTER,
    After,
    Before,
    Connection,
    First,
    Last,
    PageArgs,
    Sort,
    root_connection,
)
from domain.core import models


@strawberry.type
class CoreQuery:
    @strawberry.field(description="The company this request works in (header `X-Company-Id`).")
    async def current_company(self, info: Info) -> Company:
        return await info.context.loaders.one(models.Company, info.context.company_id)

    @strawberry.field(description="The companies the caller may work in, by name.")
    async def companies(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Company]:
        return await root_connection(
            info.context.session,
            Company.visible(info),
            Sort(models.Company.name, models.Company.id),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="Currencies known to the system, by ISO code.")
    async def currencies(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Currency]:
        return await root_connection(
            info.context.session,
            select(models.Currency).where(models.Currency.active.is_(True)),
            Sort(models.Currency.code, models.Currency.id),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="The company's currency rates, latest first.")
    async def currency_rates(
        self,
        info: Info,
        filter: Annotated[CurrencyRateFilterInput | None, FILTER] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[CurrencyRate]:
        return await root_connection(
            info.context.session,
            currency_rate_query(info, filter),
            Sort(models.CurrencyRate.date, models.CurrencyRate.id, descending=True),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="Units of measure, by name.")
    async def uoms(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Uom]:
        return await root_connection(
            info.context.session,
            select(models.Uom).where(models.Uom.active.is_(True)),
            Sort(models.Uom.name, models.Uom.id),
            PageArgs(first, after, last, before),
        )

    @strawberry.field(description="Families of units, by name.")
    async def uom_categories(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[UomCategory]:
        return await root_connection(
            info.context.session,
            select(models.UomCategory),
            Sort(models.UomCategory.name, models.UomCategory.id),
            PageArgs(first, after, last, before),
        )
