"""Partner use cases: create and update contacts, companies and their addresses."""

from __future__ import annotations

from typing import Any, TypedDict

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from stdnum import vatin
from stdnum.exceptions import ValidationError as StdnumError

from domain.core.records import get_owned
from domain.core.uow import UnitOfWork
from domain.partners.errors import PartnerError, PartnerErrorCode
from domain.partners.models import AddressType, Partner


class PartnerValues(TypedDict, total=False):
    """Fields a caller may set on a partner; absent keys are left unchanged."""

    name: str
    is_company: bool
    parent_id: int | None
    address_type: AddressType
    email: str | None
    phone: str | None
    vat: str | None
    street: str | None
    street2: str | None
    city: str | None
    zip: str | None
    country_code: str | None
    is_customer: bool
    is_vendor: bool
    active: bool


async def get_partner(uow: UnitOfWork, company_id: int, partner_id: int) -> Partner:
    partner = await get_owned(uow.session, Partner, partner_id, company_id)
    if partner is None:
        raise PartnerError(PartnerErrorCode.NOT_FOUND, "No such partner.", field=["id"])
    return partner


async def create_partner(uow: UnitOfWork, company_id: int, values: PartnerValues) -> Partner:
    """A new partner in `company_id`; a name is required."""
    partner = Partner(company_id=company_id, address_type=AddressType.CONTACT)
    if not (values.get("name") or "").strip():
        raise PartnerError(PartnerErrorCode.REQUIRED, "A partner needs a name.", field=["name"])
    await _apply(uow, partner, values)
    uow.session.add(partner)
    await uow.session.flush()
    return partner


async def update_partner(
    uow: UnitOfWork, company_id: int, partner_id: int, values: PartnerValues
) -> Partner:
    partner = await get_partner(uow, company_id, partner_id)
    await _apply(uow, partner, values)
    await uow.session.flush()
    return partner


async def _apply(uow: UnitOfWork, partner: Partner, values: PartnerValues) -> None:
    cleaned: dict[str, Any] = dict(values)
    for key in ("name", "phone", "street", "street2", "city", "zip"):
        if key in cleaned and isinstance(cleaned[key], str):
            cleaned[key] = cleaned[key].strip() or None
    if "name" in cleaned and not cleaned["name"]:
        raise PartnerError(PartnerErrorCode.REQUIRED, "A partner needs a name.", field=["name"])
    if cleaned.get("email"):
        cleaned["email"] = normalize_email(cleaned["email"])
    if cleaned.get("vat"):
        cleaned["vat"] = _normalize_vat(cleaned["vat"])
    if cleaned.get("country_code"):
        cleaned["country_code"] = _normalize_country(cleaned["country_code"])
    if cleaned.get("parent_id") is not None:
        await _check_parent(uow, partner, cleaned["parent_id"])
    for key, value in cleaned.items():
        setattr(partner, key, value)
    if partner.is_customer and partner.email:
        await _check_customer_email_free(uow, partner)


def normalize_email(raw: str) -> str:
    """`raw` as partners keep e-mails: checked and lower-cased."""
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise PartnerError(PartnerErrorCode.INVALID_EMAIL, str(error), field=["email"]) from error
    return result.normalized.lower()


def _normalize_vat(raw: str) -> str:
    """VAT numbers with a country prefix are checked by their country's rule."""
    compact = vatin.compact(raw)
    if len(compact) > 2 and compact[:2].isalpha():
        try:
            return vatin.validate(compact)
        except StdnumError as error:
            raise PartnerError(
                PartnerErrorCode.INVALID_VAT, f"{raw!r} is not a valid VAT number.", field=["vat"]
            ) from error
    return compact


def _normalize_country(raw: str) -> str:
    code = raw.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise PartnerError(
            PartnerErrorCode.INVALID,
            "A country is its two-letter ISO 3166 code.",
            field=["country_code"],
        )
    return code


async def _check_parent(uow: UnitOfWork, partner: Partner, parent_id: int) -> None:
    parent = await get_owned(uow.session, Partner, parent_id, partner.company_id)
    if parent is None:
        raise PartnerError(PartnerErrorCode.NOT_FOUND, "No such parent.", field=["parent_id"])
    ancestor: Partner | None = parent
    while ancestor is not None:
        if partner.id is not None and ancestor.id == partner.id:
            raise PartnerError(
                PartnerErrorCode.INVALID_PARENT,
                "A partner cannot be its own ancestor.",
                field=["parent_id"],
            )
        ancestor = (
            await uow.session.get(Partner, ancestor.parent_id) if ancestor.parent_id else None
        )


async def _check_customer_email_free(uow: UnitOfWork, partner: Partner) -> None:
    query = select(Partner.id).where(
        Partner.company_id == partner.company_id,
        Partner.email == partner.email,
        Partner.is_customer.is_(True),
    )
    if partner.id is not None:
        query = query.where(Partner.id != partner.id)
    with uow.session.no_autoflush:
        taken = await uow.session.scalar(query)
    if taken:
        raise PartnerError(
            PartnerErrorCode.UNIQUE,
            f"Another customer already uses {partner.email}.",
            field=["email"],
        )
