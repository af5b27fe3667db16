"""Core use cases: currencies, companies, units of measure and sequences."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from babel.numbers import get_currency_name, get_currency_precision, get_currency_symbol
from sqlalchemy import exists, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from domain.core.db import Base
from domain.core.errors import CoreError, CoreErrorCode
from domain.core.events import CompanyCreated
from domain.core.models import Company, Currency, CurrencyRate, Sequence, Uom, UomCategory
from domain.core.money import CurrencyRule, round_to
from domain.core.uow import UnitOfWork

#: Rates are kept to 12 decimals, with at most 12 digits before the point.
RATE_STEP, RATE_LIMIT = Decimal("1e-12"), Decimal("1e12")


def currency_rule(currency: Currency) -> CurrencyRule:
    return CurrencyRule(currency.code, currency.digits, currency.rounding)


async def ensure_currency(uow: UnitOfWork, code: str) -> Currency:
    """The currency with ISO `code`, created from Babel's data when missing."""
    code = code.strip().upper()
    currency = await uow.session.scalar(select(Currency).where(Currency.code == code))
    if currency is not None:
        return currency
    symbol = get_currency_symbol(code, locale="en")
    name = get_currency_name(code, locale="en")
    if len(code) != 3 or not code.isalpha() or name == code:
        raise CoreError(
            CoreErrorCode.INVALID, f"{code!r} is not an ISO 4217 currency.", field=["currency"]
        )
    digits = get_currency_precision(code)
    currency = Currency(
        code=code,
        name=name,
        symbol=symbol,
        digits=digits,
        rounding=Decimal(1).scaleb(-digits),
    )
    uow.session.add(currency)
    await uow.session.flush()
    return currency


async def find_currency(uow: UnitOfWork, code: str) -> Currency | None:
    """The active currency with ISO `code` (any case), if the system knows it."""
    return await uow.session.scalar(
        select(Currency).where(Currency.code == code.strip().upper(), Currency.active.is_(True))
    )


async def currency_code(uow: UnitOfWork, currency_id: int) -> str:
    """The ISO code of the currency `currency_id`."""
    currency = await uow.session.get(Currency, currency_id)
    assert currency is not None
    return currency.code


async def create_company(
    uow: UnitOfWork,
    *,
    name: str,
    currency_code: str,
    vat: str | None = None,
    email: str | None = None,
    country_code: str | None = None,
) -> Company:
    """A new company; other areas set up their defaults by handling `CompanyCreated`."""
    name = name.strip()
    if not name:
        raise CoreError(CoreErrorCode.REQUIRED, "A company needs a name.", field=["name"])
    if await uow.session.scalar(select(Company.id).where(Company.name == name)):
        raise CoreError(CoreErrorCode.UNIQUE, f"A company named {name!r} exists.", field=["name"])
    currency = await ensure_currency(uow, currency_code)
    company = Company(
        name=name,
        currency_id=currency.id,
        vat=vat,
        email=email,
        country_code=country_code.upper() if country_code else None,
    )
    uow.session.add(company)
    await uow.session.flush()
    await uow.publish(CompanyCreated(company_id=company.id))
    return company


async def company_ids(uow: UnitOfWork) -> list[int]:
    """Every company, oldest first: what a periodic job goes through."""
    return list(await uow.session.scalars(select(Company.id).order_by(Company.id)))


async def company_currency(uow: UnitOfWork, company_id: int) -> Currency:
    """The currency the company keeps its books in."""
    company = await uow.session.get(Company, company_id)
    assert company is not None
    currency = await uow.session.get(Currency, company.currency_id)
    assert currency is not None
    return currency


@dataclass(frozen=True)
class Conversion:
    """How a document in `currency` converts into the company's currency on its date."""

    currency: Currency
    #: How the document's amounts round.
    rule: CurrencyRule
    company_rule: CurrencyRule
    #: Company-currency units per unit of the document's currency.
    rate: Decimal

    def to_company(self, amount: Decimal) -> Decimal:
        return self.company_rule.round(amount * self.rate)

    def from_company(self, amount: Decimal) -> Decimal:
        """A company-currency amount (a product's price) in the document's currency."""
        return self.rule.round(amount / self.rate)


async def conversion(
    uow: UnitOfWork, company_id: int, currency_code: str | None, date: dt.date
) -> Conversion:
    """The conversion of a document in `currency_code` (the company's when None) on `date`:
    at the latest rate on or before it."""
    own = await company_currency(uow, company_id)
    currency = own
    if currency_code is not None and currency_code.strip().upper() != own.code:
        found = await find_currency(uow, currency_code)
        if found is None:
            raise CoreError(
                CoreErrorCode.CURRENCY, f"No currency {currency_code!r}.", field=["currency"]
            )
        currency = found
    rate = await currency_rate(uow, company_id, currency.id, date)
    if rate is None:
        raise CoreError(
            CoreErrorCode.CURRENCY,
            f"No {currency.code} rate on or before {date.isoformat()}; record one first.",
            field=["currency"],
        )
    return Conversion(currency, currency_rule(currency), currency_rule(own), rate)


async def set_currency_rate(
    uow: UnitOfWork, company_id: int, *, currency_code: str, date: dt.date, rate: Decimal
) -> CurrencyRate:
    """Record what one unit of `currency_code` is worth in the company's currency from
    `date` on; a second rate for the same day replaces the first."""
    if not (rate.is_finite() and RATE_STEP <= rate < RATE_LIMIT):
        raise CoreError(
            CoreErrorCode.INVALID,
            "A rate is positive, at least 0.000000000001 and below 10^12.",
            field=["rate"],
        )
    currency = await ensure_currency(uow, currency_code)
    company = await uow.session.get(Company, company_id)
    assert company is not None
    if currency.id == company.currency_id:
        raise CoreError(
            CoreErrorCode.INVALID,
            f"{currency.code} is the company's own currency; its rate is always 1.",
            field=["currency"],
        )
    existing = await uow.session.scalar(
        select(CurrencyRate)
        .where(
            CurrencyRate.company_id == company_id,
            CurrencyRate.currency_id == currency.id,
            CurrencyRate.date == date,
        )
        .with_for_update()
    )
    if existing is None:
        existing = CurrencyRate(company_id=company_id, currency_id=currency.id, date=date)
        uow.session.add(existing)
    existing.rate = rate.quantize(RATE_STEP)
    await uow.session.flush()
    return existing


async def currency_rate(
    uow: UnitOfWork, company_id: int, currency_id: int, date: dt.date
) -> Decimal | None:
    """Company-currency units per unit of the currency on `date`: 1 for the company's own
    currency, else the latest rate on or before `date`; None when there is none."""
    company = await uow.session.get(Company, company_id)
    assert company is not None
    if currency_id == company.currency_id:
        return Decimal(1)
    return await uow.session.scalar(
        select(CurrencyRate.rate)
        .where(
            CurrencyRate.company_id == company_id,
            CurrencyRate.currency_id == currency_id,
            CurrencyRate.date <= date,
        )
        .order_by(CurrencyRate.date.desc())
        .limit(1)
    )


class UomValues(TypedDict, total=False):
    """A unit as the caller gives it."""

    category_id: int
    name: str
    ratio: Decimal
    rounding: Decimal


#: Ratios are kept to 10 decimals with 9 digits before the point (the `uom.ratio` column);
#: rounding steps stay below the same limit.
RATIO_STEP, RATIO_LIMIT = Decimal("1e-10"), Decimal("1e9")
#: Rounding steps are quantities, kept to the quantity columns' 6 decimals.
ROUNDING_STEP = Decimal("0.000001")


async def create_uom_category(uow: UnitOfWork, *, name: str) -> UomCategory:
    """A new family of units; its first unit becomes its reference."""
    category = UomCategory(name=await _category_name(uow, name, None))
    uow.session.add(category)
    await uow.session.flush()
    return category


async def update_uom_category(uow: UnitOfWork, category_id: int, *, name: str) -> UomCategory:
    category = await _get_category(uow, category_id, "id")
    category.name = await _category_name(uow, name, category.id)
    await uow.session.flush()
    return category


async def _get_category(uow: UnitOfWork, category_id: int, field: str) -> UomCategory:
    """The category, locked: changes to its units queue, so it keeps one reference unit."""
    category = await uow.session.scalar(
        select(UomCategory).where(UomCategory.id == category_id).with_for_update()
    )
    if category is None:
        raise CoreError(CoreErrorCode.NOT_FOUND, "No such unit category.", field=[field])
    return category


async def _category_name(uow: UnitOfWork, name: str, category_id: int | None) -> str:
    name = _name(name, 80)
    query = select(UomCategory.id).where(UomCategory.name == name)
    if category_id is not None:
        query = query.where(UomCategory.id != category_id)
    if await uow.session.scalar(query):
        raise CoreError(
            CoreErrorCode.UNIQUE, f"A unit category named {name!r} exists.", field=["name"]
        )
    return name


def _name(name: str, limit: int) -> str:
    name = name.strip()
    if not name:
        raise CoreError(CoreErrorCode.REQUIRED, "A name is required.", field=["name"])
    if len(name) > limit:
        raise CoreError(
            CoreErrorCode.INVALID, f"A name has at most {limit} characters.", field=["name"]
        )
    return name


async def create_uom(uow: UnitOfWork, values: UomValues) -> Uom:
    """A new unit in its category. `ratio` is how many of the category's reference unit one
    of it is; the reference itself has ratio 1 and each category has exactly one, so the
    first unit of a category is its reference."""
    if values.get("category_id") is None:
        raise CoreError(
            CoreErrorCode.REQUIRED, "A unit belongs to a category.", field=["category_id"]
        )
    category = await _get_category(uow, values["category_id"], "category_id")
    uom = Uom(category_id=category.id)
    await _apply_uom(uow, category, uom, values)
    uow.session.add(uom)
    await uow.session.flush()
    return uom


async def update_uom(uow: UnitOfWork, uom_id: int, values: UomValues) -> Uom:
    """Rename a unit, or change its ratio or rounding step; fields left out keep their value.
    The ratio of a unit that records refer to stays, so their quantities keep their meaning."""
    found = await uow.session.get(Uom, uom_id)
    if found is None:
        raise CoreError(CoreErrorCode.NOT_FOUND, "No such unit of measure.", field=["id"])
    category = await _get_category(uow, found.category_id, "id")
    uom = await uow.session.get(Uom, uom_id, populate_existing=True)
    assert uom is not None
    await _apply_uom(uow, category, uom, values)
    await uow.session.flush()
    return uom


async def _apply_uom(uow: UnitOfWork, category: UomCategory, uom: Uom, values: UomValues) -> None:
    if "name" in values or uom.id is None:
        uom.name = _name(values.get("name", ""), 40)
        query = select(Uom.id).where(Uom.category_id == category.id, Uom.name == uom.name)
        if uom.id is not None:
            query = query.where(Uom.id != uom.id)
        if await uow.session.scalar(query):
            raise CoreError(
                CoreErrorCode.UNIQUE,
                f"{category.name} has a unit named {uom.name!r}.",
                field=["name"],
            )
    if "rounding" in values or uom.id is None:
        uom.rounding = _multiple(values.get("rounding"), ROUNDING_STEP, "rounding")
    if "ratio" in values or uom.id is None:
        ratio = _multiple(values.get("ratio"), RATIO_STEP, "ratio")
        if uom.id is None or ratio != uom.ratio:
            await _check_ratio(uow, category, uom, ratio)
        uom.ratio = ratio


def _multiple(value: Decimal | None, step: Decimal, field: str) -> Decimal:
    """`value` if it is a positive multiple of `step` below 10^9 (what the columns keep)."""
    if value is None or not (value.is_finite() and step <= value < RATIO_LIMIT) or value % step:
        raise CoreError(
            CoreErrorCode.INVALID,
            f"The {field} must be positive, a multiple of {step.normalize():f} and below 10^9.",
            field=[field],
        )
    return value


async def _check_ratio(uow: UnitOfWork, category: UomCategory, uom: Uom, ratio: Decimal) -> None:
    """A category keeps exactly one reference unit (ratio 1), and a unit in use its ratio."""
    reference = await uow.session.scalar(
        select(Uom).where(Uom.category_id == category.id, Uom.ratio == 1, Uom.id != uom.id)
    )
    if uom.id is not None and uom.ratio == 1:
        raise CoreError(
            CoreErrorCode.REFERENCE_UNIT,
            f"{uom.name} is the reference unit of {category.name}: its ratio is 1.",
            field=["ratio"],
        )
    if reference is None and ratio != 1:
        raise CoreError(
            CoreErrorCode.REFERENCE_UNIT,
            f"{category.name} has no reference unit yet: its first unit has ratio 1.",
            field=["ratio"],
        )
    if reference is not None and ratio == 1:
        raise CoreError(
            CoreErrorCode.REFERENCE_UNIT,
            f"{reference.name} is the reference unit of {category.name}; a category has one.",
            field=["ratio"],
        )
    if uom.id is not None and await _in_use(uow, uom.id):
        raise CoreError(
            CoreErrorCode.UNIT_IN_USE,
            f"Records are counted in {uom.name}: its ratio stays.",
            field=["ratio"],
        )


async def _in_use(uow: UnitOfWork, uom_id: int) -> bool:
    """Whether any record refers to the unit, in one statement over every column that can."""
    table = Uom.__table__
    columns = [
        key.parent
        for other in Base.metadata.tables.values()
        for key in other.foreign_keys
        if key.column is table.c.id
    ]
    return bool(
        columns
        and await uow.session.scalar(
            select(or_(*(exists().where(column == uom_id) for column in columns)))
        )
    )


async def get_uom(session: AsyncSession, uom_id: int) -> Uom:
    uom = await session.get(Uom, uom_id)
    if uom is None:
        raise CoreError(CoreErrorCode.NOT_FOUND, "No such unit of measure.", field=["uom"])
    return uom


def check_quantity(quantity: Decimal, uom: Uom | None) -> Decimal:
    """`quantity` as given, if `uom` can count it: a multiple of the unit's rounding step
    (of the quantity columns' 0.000001 for a quantity without unit).

    A finer quantity (0.5 Units, 1.922 g when grams round to 0.01) is refused, never rounded
    behind the caller's back; the error is on the `quantity` field, for the caller to nest.
    """
    step = uom.rounding if uom is not None else ROUNDING_STEP
    if quantity % step:
        counted = f"quantities in {uom.name}" if uom is not None else "quantities"
        raise CoreError(
            CoreErrorCode.QUANTITY_PRECISION,
            f"{quantity.normalize()} is finer than the unit counts: {counted} are "
            f"multiples of {step.normalize():f}.",
            field=["quantity"],
        )
    return quantity


def convert_quantity(quantity: Decimal, from_uom: Uom, to_uom: Uom) -> Decimal:
    """`quantity` in `from_uom` expressed in `to_uom`, rounded to `to_uom`'s precision."""
    if from_uom.category_id != to_uom.category_id:
        raise CoreError(
            CoreErrorCode.INCOMPATIBLE_UNITS,
            f"{from_uom.name} cannot be converted to {to_uom.name}.",
            field=["uom"],
        )
    if from_uom.id == to_uom.id:
        return round_to(quantity, to_uom.rounding)
    return round_to(quantity * from_uom.ratio / to_uom.ratio, to_uom.rounding)


async def next_sequence_number(
    uow: UnitOfWork, company_id: int, code: str, *, prefix: str, padding: int = 5
) -> str:
    """The next gap-free number of `code` in `company_id`, e.g. `S00042`.

    The counter row is created on first use and then advanced by one atomic
    `UPDATE ... RETURNING`; the row stays locked until the transaction ends, so concurrent
    callers queue and a rolled-back transaction gives its number back.
    """
    insert = postgresql.insert if uow.dialect == "postgresql" else sqlite.insert
    await uow.session.execute(
        insert(Sequence)
        .values(company_id=company_id, code=code, prefix=prefix, padding=padding, next_number=1)
        .on_conflict_do_nothing(index_elements=["company_id", "code"])
    )
    row = (
        await uow.session.execute(
            update(Sequence)
            .where(Sequence.company_id == company_id, Sequence.code == code)
            .values(next_number=Sequence.next_number + 1)
            .returning(Sequence.next_number, Sequence.prefix, Sequence.padding)
        )
    ).one()
    number = row.next_number - 1
    return f"{row.prefix}{number:0{row.padding}d}"
