"""Company mutations."""

from __future__ import annotations

from typing import Annotated, ClassVar

import strawberry

from api import arguments
from api.context import Info
from api.core.types import Company
from api.enums import graphql_enum
from api.errors import UserError
from api.payloads import mutate
from domain.core import services
from domain.core.errors import CoreErrorCode

graphql_enum(CoreErrorCode, "Why a core change was refused.")


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
class CompanyPayload:
    result_field: ClassVar[str] = "company"
    error_type: ClassVar[type[CoreError]] = CoreError
    company: Company | None = strawberry.field(default=None, description="The company.")
    errors: list[CoreError] = strawberry.field(
        default_factory=list, description="Why nothing changed; empty on success."
    )


@strawberry.type
class CoreMutation:
    @strawberry.mutation(description="Create a company with its own currency and numbering.")
    async def company_create(
        self, info: Info, input: Annotated[CompanyCreateInput, arguments.INPUT]
    ) -> CompanyPayload:
        return await mutate(
            info,
            CompanyPayload,
            lambda uow, _company_id: services.create_company(
                uow,
                name=input.name,
                currency_code=input.currency,
                vat=input.vat,
                email=input.email,
                country_code=input.country_code,
            ),
        )
