"""Inputs of the partner mutations."""

from __future__ import annotations

from typing import Any

import strawberry

from api.ids import decode_id
from api.partners.enums import AddressType
from domain.partners.services import PartnerValues


@strawberry.input(description="Fields of a partner; on update, fields left out keep their value.")
class PartnerInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Full name.")
    is_company: bool | None = strawberry.field(
        default=strawberry.UNSET, description="A company rather than a person."
    )
    parent_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The company this contact or address belongs to."
    )
    address_type: AddressType | None = strawberry.field(
        default=strawberry.UNSET, description="For a child: contact, invoice, delivery or other."
    )
    email: str | None = strawberry.field(default=strawberry.UNSET, description="E-mail address.")
    phone: str | None = strawberry.field(default=strawberry.UNSET, description="Phone number.")
    vat: str | None = strawberry.field(default=strawberry.UNSET, description="VAT number.")
    street: str | None = strawberry.field(
        default=strawberry.UNSET, description="Street and number."
    )
    street2: str | None = strawberry.field(
        default=strawberry.UNSET, description="Second address line."
    )
    city: str | None = strawberry.field(default=strawberry.UNSET, description="City.")
    zip: str | None = strawberry.field(default=strawberry.UNSET, description="Postal code.")
    country_code: str | None = strawberry.field(
        default=strawberry.UNSET, description="ISO 3166 code."
    )
    is_customer: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Buys from us."
    )
    is_vendor: bool | None = strawberry.field(default=strawberry.UNSET, description="Sells to us.")
    active: bool | None = strawberry.field(default=strawberry.UNSET, description="False archives.")

    def values(self) -> PartnerValues:
        """The fields that were given, as the domain's values."""
        given: dict[str, Any] = {
            key: value for key, value in vars(self).items() if value is not strawberry.UNSET
        }
        if given.get("parent_id") is not None:
            given["parent_id"] = decode_id(given["parent_id"], "Partner", "parent_id")
        for flag in ("is_company", "is_customer", "is_vendor", "active", "address_type"):
            if flag in given and given[flag] is None:
                del given[flag]
        return PartnerValues(**given)  # type: ignore[typeddict-item]
