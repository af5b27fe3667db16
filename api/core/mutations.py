"""Core mutations: each parses its input, dispatches one command and maps the result."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

import strawberry

from api import arguments
from api.access import dispatches
from api.context import Info
from api.core.types import Company, CurrencyRate, Uom, UomCategory
from api.enums import graphql_enum
from api.errors import UserError
from api.ids import decode_id
from api.payloads import Payload, run
from domain.core import commands as c
from domain.core import services
from domain.core.errors import CoreErrorCode

graphql_enum(
    CoreErrorCode,
    "Why a core change was refused.",
    {
        "CURRENCY": "The currency is unknown, or has no rate on the document's date.",
        "FORBIDDEN": "The caller may not do this in this company.",
        "REFERENCE_UNIT": "A unit category has exactly one reference unit, the one of ratio 1.",
        "UNIT_IN_USE": "Records are counted in the unit, so its ratio cannot change.",
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


@strawberry.input(description="A family of units that convert into each other.")
class UomCategoryInput:
    name: str = strawberry.field(description="Name, unique, e.g. Weight.")


@strawberry.type(description="The unit category created or renamed, or why not.")
class UomCategoryPayload(Payload, error=CoreError):
    uom_category: UomCategory | None = strawberry.field(default=None, description="The category.")


@strawberry.input(description="A new unit of measure.")
class UomCreateInput:
    category_id: strawberry.ID = strawberry.field(description="The category it belongs to.")
    name: str = strawberry.field(description="Name, unique within its category, e.g. Boxes.")
    ratio: Decimal = strawberry.field(
        description="How many reference units of the category one of it is (12 for Dozens "
        "when Units is the reference); 1 for the reference unit, which a category's first "
        "unit must be and no other may be."
    )
    rounding: Decimal = strawberry.field(
        description="Quantities in it are multiples of this step (1 for Units, 0.001 for kg); "
        "finer quantities are refused."
    )


@strawberry.input(description="Changes to a unit of measure; fields left out keep their value.")
class UomUpdateInput:
    name: str | None = strawberry.field(default=None, description="New name.")
    ratio: Decimal | None = strawberry.field(
        default=None,
        description="New ratio to the reference unit; not for the reference unit itself, nor "
        "for a unit records are counted in.",
    )
    rounding: Decimal | None = strawberry.field(default=None, description="New rounding step.")

    def values(self) -> services.UomValues:
        given: services.UomValues = {}
        if self.name is not None:
            given["name"] = self.name
        if self.ratio is not None:
            given["ratio"] = self.ratio
        if self.rounding is not None:
            given["rounding"] = self.rounding
        return given


@strawberry.type(description="The unit created or changed, or why not.")
class UomPayload(Payload, error=CoreError):
    uom: Uom | None = strawberry.field(default=None, description="The unit.")


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

    @strawberry.mutation(
        description="Create a unit category; its first unit is its reference.",
        metadata=dispatches(c.CreateUomCategory),
    )
    async def uom_category_create(
        self, info: Info, input: Annotated[UomCategoryInput, arguments.INPUT]
    ) -> UomCategoryPayload:
        return await run(
            info,
            UomCategoryPayload,
            lambda company_id: c.CreateUomCategory(company_id=company_id, name=input.name),
        )

    @strawberry.mutation(
        description="Rename a unit category.", metadata=dispatches(c.RenameUomCategory)
    )
    async def uom_category_update(
        self,
        info: Info,
        id: Annotated[strawberry.ID, arguments.ID],
        input: Annotated[UomCategoryInput, arguments.INPUT],
    ) -> UomCategoryPayload:
        return await run(
            info,
            UomCategoryPayload,
            lambda company_id: c.RenameUomCategory(
                company_id=company_id, id=decode_id(id, "UomCategory", "id"), name=input.name
            ),
        )

    @strawberry.mutation(
        description="Create a unit of measure in a category.", metadata=dispatches(c.CreateUom)
    )
    async def uom_create(
        self, info: Info, input: Annotated[UomCreateInput, arguments.INPUT]
    ) -> UomPayload:
        return await run(
            info,
            UomPayload,
            lambda company_id: c.CreateUom(
                company_id=company_id,
                values={
                    "category_id": decode_id(input.category_id, "UomCategory", "category_id"),
                    "name": input.name,
                    "ratio": input.ratio,
                    "rounding": input.rounding,
                },
            ),
        )

    @strawberry.mutation(
        description="Change a unit of measure's name, ratio or rounding step.",
        metadata=dispatches(c.UpdateUom),
    )
    async def uom_update(
        self,
        info: Info,
        id: Annotated[strawberry.ID, arguments.ID],
        input: Annotated[UomUpdateInput, arguments.INPUT],
    ) -> UomPayload:
        return await run(
            info,
            UomPayload,
            lambda company_id: c.UpdateUom(
                company_id=company_id, id=decode_id(id, "Uom", "id"), values=input.values()
            ),
        )
