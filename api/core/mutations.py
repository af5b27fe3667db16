"""Core mutations: each parses its input, dispatches one command and maps the result."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

import strawberry

from api import arguments
from api.access import dispatches
from api.context import Info
from api.core.types import Company, CurrencyRate
from api.enums import graphql_enum
from api.errors import UserError
from api.payloads import Payload, run
from domain.core import commands as c
from domain.core.errors import CoreErrorCode

graphql_enum(
    CoreErrorCode,
    "Why a core change was refused.",
    {
        "CURRENCY": "The currency is unknown, or has no rate on the document's date.",
        "FORBIDDEN": "The caller may not do this in this company.",
    },
)


@strawberry.type(description="A company, currency or unit mutation refused its input.")
class CoreError(UserError):
    codes = CoreErrorCode
    code: CoreErrorCode = strawberry.field(description="Stable machine-readable reason.")


@strawberry.input(description="A new company.")
class CompanyCreateInput:
    name: str = strawberry.field(description="Legal name, unique.")
    currency: str = strawberry.field(description="ISO 4217 code of its accounting currency.")
    vat: str | None = strawberry.field(default=None, description="VAT number.")
    email: str | None = strawberry.field(default=None, description="Contact e-mail.")
    country_code: str | None = strawberry.field(default=None, description="ISO 3166 code.")


@strawberry.type(description="The company created, or why not.")
class CompanyPayload(Payload, error=CoreError):
    company: Company | None = strawberry.field(default=None, description="The company.")


@strawberry.input(description="A currency's rate from a date on.")
class CurrencyRateSetInput:
    currency: str = strawberry.field(description="ISO 4217 code of the currency, e.g. USD.")
    date: dt.date = strawberry.field(description="First day the rate applies.")
    rate: Decimal = strawberry.field(
        description="Company-currency units per one unit of the currency (0.92 for USD in a "
        "EUR company)."
    )


@strawberry.type(description="The rate recorded, or why not.")
class CurrencyRatePayload(Payload, error=CoreError):
    currency_rate: CurrencyRate | None = strawberry.field(default=None, description="The rate.")


@strawberry.type
class CoreMutation:
    @strawberry.mutation(
        description="Create a company with its own currency and numbering.",
        metadata=dispatches(c.CreateCompany),
    )
    async def company_create(
        self, info: Info, input: Annotated[CompanyCreateInput, arguments.INPUT]
    ) -> CompanyPayload:
        return await run(
            info,
            CompanyPayload,
            lambda company_id: c.CreateCompany(
                company_id=company_id,
                name=input.name,
                currency=input.currency,
                vat=input.vat,
                email=input.email,
                country_code=input.country_code,
            ),
        )

    @strawberry.mutation(
        description="Record what a currency is worth in the company's currency from a date "
        "on; a second rate for the same day replaces the first.",
        metadata=dispatches(c.SetCurrencyRate),
    )
    async def currency_rate_set(
        self, info: Info, input: Annotated[CurrencyRateSetInput, arguments.INPUT]
    ) -> CurrencyRatePayload:
        return await run(
            info,
            CurrencyRatePayload,
            lambda company_id: c.SetCurrencyRate(
                company_id=company_id, currency=input.currency, date=input.date, rate=input.rate
            ),
        )
