"""Core use cases: currencies, companies, units of measure and sequences."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import get_currency_name, get_currency_precision, get_currency_symbol
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from domain.core.errors import CoreError, CoreErrorCode
from domain.core.events import CompanyCreated
from domain.core.models import Company, Currency, CurrencyRate, Sequence, Uom, UomCategory
from domain.core.money import CurrencyRule, round_to
from domain.core.uow import UnitOfWork

#: Units every installation starts with: category -> [(name, ratio to reference, rounding)].
BASE_UNITS: dict[str, list[tuple[str, str, str]]] = {
    "Unit": [("Units", "1", "1"), ("Dozens", "12", "1"), ("Pairs", "2", "1")],
    "Weight": [("kg", "1", "0.001"), ("g", "0.001", "0.01"), ("t", "1000", "0.001")],
    "Time": [("Hours", "1", "0.01"), ("Days", "8", "0.01"), ("Minutes", "0.016666666667", "1")],
    "Length": [("m", "1", "0.001"), ("cm", "0.01", "0.1"), ("km", "1000", "0.001")],
    "Volume": [("L", "1", "0.001"), ("mL", "0.001", "1")],
}
BASE_CURRENCIES = ("EUR", "USD", "GBP", "CHF", "JPY")
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


async def install_base_data(uow: UnitOfWork) -> None:
    """Currencies and units of measure every installation needs; safe to run twice."""
    for code in BASE_CURRENCIES:
        await ensure_currency(uow, code)
    for category_name, units in BASE_UNITS.items():
        category = await uow.session.scalar(
            select(UomCategory).where(UomCategory.name == category_name)
        )
        if category is None:
            category = UomCategory(name=category_name)
            uow.session.add(category)
            await uow.session.flush()
        existing = set(
            await uow.session.scalars(select(Uom.name).where(Uom.category_id == category.id))
        )
        for name, ratio, rounding in units:
            if name not in existing:
                uow.session.add(
                    Uom(
                        category_id=category.id,
                        name=name,
                        ratio=Decimal(ratio),
                        rounding=Decimal(rounding),
                    )
                )
    await uow.session.flush()


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


async def get_uom(session: AsyncSession, uom_id: int) -> Uom:
    uom = await session.get(Uom, uom_id)
    if uom is None:
        raise CoreError(CoreErrorCode.NOT_FOUND, "No such unit of measure.", field=["uom"])
    return uom


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
