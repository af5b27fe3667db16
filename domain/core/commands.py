"""Core's use cases (companies, currency rates, units) and the permissions they and core's
reads need."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from domain.core import services
from domain.core.dispatcher import Command, Permission, Step
from domain.core.models import Company, CurrencyRate, Uom, UomCategory
from domain.core.uow import UnitOfWork

CORE_READ = Permission("core.read", "Read the company, currencies, rates and units.")
CORE_WRITE = Permission("core.write", "Record currency rates.")
ADMIN_COMPANIES = Permission("admin.companies", "Create companies.")
JOBS_READ = Permission("jobs.read", "See background job runs: what ran, when, and what it did.")
ADMIN_UNITS = Permission("admin.units", "Manage units of measure, which every company shares.")


@dataclass(frozen=True, kw_only=True)
class CreateCompany(Command[Company]):
    """A new company with its own currency and numbering; `company_id` is the caller's."""

    permission: ClassVar[Permission | None] = ADMIN_COMPANIES
    name: str
    currency: str
    vat: str | None = None
    email: str | None = None
    country_code: str | None = None

    async def handle(self, uow: UnitOfWork) -> Company:
        return await services.create_company(
            uow,
            name=self.name,
            currency_code=self.currency,
            vat=self.vat,
            email=self.email,
            country_code=self.country_code,
        )


@dataclass(frozen=True, kw_only=True)
class SetCurrencyRate(Command[CurrencyRate]):
    """What one unit of `currency` is worth in the company's currency from `date` on."""

    permission: ClassVar[Permission | None] = CORE_WRITE
    currency: str
    date: dt.date
    rate: Decimal

    async def handle(self, uow: UnitOfWork) -> CurrencyRate:
        return await services.set_currency_rate(
            uow, self.company_id, currency_code=self.currency, date=self.date, rate=self.rate
        )


@dataclass(frozen=True, kw_only=True)
class CreateUomCategory(Command[UomCategory]):
    """A family of units that convert into each other; its first unit is its reference."""

    permission: ClassVar[Permission | None] = ADMIN_UNITS
    name: str

    async def handle(self, uow: UnitOfWork) -> UomCategory:
        return await services.create_uom_category(uow, name=self.name)


@dataclass(frozen=True, kw_only=True)
class RenameUomCategory(Step[UomCategory]):
    permission: ClassVar[Permission | None] = ADMIN_UNITS
    name: str

    async def handle(self, uow: UnitOfWork) -> UomCategory:
        return await services.update_uom_category(uow, self.id, name=self.name)


@dataclass(frozen=True, kw_only=True)
class CreateUom(Command[Uom]):
    permission: ClassVar[Permission | None] = ADMIN_UNITS
    values: services.UomValues

    async def handle(self, uow: UnitOfWork) -> Uom:
        return await services.create_uom(uow, self.values)


@dataclass(frozen=True, kw_only=True)
class UpdateUom(Step[Uom]):
    permission: ClassVar[Permission | None] = ADMIN_UNITS
    values: services.UomValues

    async def handle(self, uow: UnitOfWork) -> Uom:
        return await services.update_uom(uow, self.id, self.values)
