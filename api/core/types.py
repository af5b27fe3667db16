"""Money, companies, currencies and units of measure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy import Select, select

from api.context import Info
from api.nodes import ModelNode, quantity
from domain.core import models


@strawberry.type(description="An amount in a currency, rounded to the currency's minor unit.")
class Money:
    amount: Decimal = strawberry.field(description='The amount, as a string: "230.00".')
    currency: str = strawberry.field(description="ISO 4217 code of the currency.")


async def money(info: Info, amount: Decimal, currency_id: int) -> Money:
    """`amount` in the currency `currency_id`, shown with the currency's digits."""
    currency = await info.context.loaders.by_id(models.Currency).load(currency_id)
    assert currency is not None
    return Money(
        amount=amount.quantize(Decimal(1).scaleb(-currency.digits)), currency=currency.code
    )


async def company_money(info: Info, amount: Decimal, company_id: int) -> Money:
    """`amount` in the currency company `company_id` keeps its books in."""
    company = await info.context.loaders.by_id(models.Company).load(company_id)
    assert company is not None
    return await money(info, amount, company.currency_id)


@strawberry.type(description="An ISO 4217 currency and how its amounts round.")
class Currency(ModelNode):
    model = models.Currency
    code: str = strawberry.field(description="ISO 4217 code, e.g. EUR.")
    name: str = strawberry.field(description="English name.")
    symbol: str = strawberry.field(description="Symbol, e.g. €.")
    digits: int = strawberry.field(description="Digits of the minor unit (2 for EUR, 0 for JPY).")
    rounding: Decimal = strawberry.field(description="Smallest step amounts round to.")


@strawberry.type(
    description="What one unit of a currency is worth in the company's currency from a date "
    "on; documents convert at the latest rate on or before their date."
)
class CurrencyRate(ModelNode):
    model = models.CurrencyRate
    date: dt.date = strawberry.field(description="First day the rate applies.")
    currency_id: strawberry.Private[int]

    @strawberry.field(
        description="Company-currency units per one unit of the currency (0.92 for USD in a "
        "EUR company)."
    )
    def rate(self, root: strawberry.Parent[models.CurrencyRate]) -> Decimal:
        return root.rate.normalize()

    @strawberry.field(description="The currency rated.")
    async def currency(self, info: Info) -> Currency:
        return await info.context.loaders.one(models.Currency, self.currency_id)


@strawberry.type(description="A legal entity with its own books; every record belongs to one.")
class Company(ModelNode):
    model = models.Company
    name: str = strawberry.field(description="Legal name, unique.")
    vat: str | None = strawberry.field(description="VAT number.")
    email: str | None = strawberry.field(description="Contact e-mail.")
    country_code: str | None = strawberry.field(description="ISO 3166 country code.")
    currency_id: strawberry.Private[int]

    @classmethod
    def visible(cls, info: Info) -> Select[Any]:
        """The caller's companies (every one for a superuser)."""
        query = select(models.Company)
        actor = info.context.actor
        if actor is None or not actor.superuser:
            query = query.where(models.Company.id.in_(actor.company_ids if actor else ()))
        return query

    @strawberry.field(description="The currency the company keeps its books in.")
    async def currency(self, info: Info) -> Currency:
        return await info.context.loaders.one(models.Currency, self.currency_id)


@strawberry.type(description="A family of units that convert into each other (Weight, Time).")
class UomCategory(ModelNode):
    model = models.UomCategory
    name: str = strawberry.field(description="Name of the category.")

    @strawberry.field(
        description="Its units, smallest first; the reference unit is the one of ratio 1."
    )
    async def units(self, info: Info) -> list[Uom]:
        loader = info.context.loaders.by_parent(
            models.Uom.category_id, models.Uom.ratio, models.Uom.id
        )
        return await loader.load(self.id)


@strawberry.type(description="A unit of measure, e.g. Units, Dozens, kg, Hours.")
class Uom(ModelNode):
    model = models.Uom
    name: str = strawberry.field(description="Name, unique within its category.")
    category_id: strawberry.Private[int]

    @strawberry.field(
        description="How many reference units of the category one of this unit is; 1 for "
        "the reference unit."
    )
    def ratio(self, root: strawberry.Parent[models.Uom]) -> Decimal:
        return quantity(root.ratio)

    @strawberry.field(
        description="Quantities in this unit are multiples of this step; finer ones are refused."
    )
    def rounding(self, root: strawberry.Parent[models.Uom]) -> Decimal:
        return quantity(root.rounding)

    @strawberry.field(description="The family of units this one converts within.")
    async def category(self, info: Info) -> UomCategory:
        return await info.context.loaders.one(models.UomCategory, self.category_id)
