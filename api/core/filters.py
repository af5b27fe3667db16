"""Filters of the core lists."""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy import Select

from api.context import Info
from api.filters import DateRangeInput, in_range
from domain.core import models
from domain.core.records import scoped


@strawberry.input(description="Which currency rates to list.")
class CurrencyRateFilterInput:
    currency: list[str] | None = strawberry.field(
        default=None, description="Of these currencies (ISO codes, any case)."
    )
    date: DateRangeInput | None = strawberry.field(
        default=None, description="Applying from a day in this range."
    )


def currency_rate_query(info: Info, where: CurrencyRateFilterInput | None) -> Select[Any]:
    where = where or CurrencyRateFilterInput()
    query = scoped(models.CurrencyRate, [info.context.company_id])
    if where.currency:
        codes = [code.strip().upper() for code in where.currency]
        query = query.join(models.Currency).where(models.Currency.code.in_(codes))
    return in_range(query, models.CurrencyRate.date, where.date)
