"""Partner enums as GraphQL enums; import them from here so they are described first."""

from __future__ import annotations

from api.enums import graphql_enum
from domain.partners.models import AddressType

__all__ = ["AddressType"]

graphql_enum(
    AddressType,
    "What a child partner is to its parent company.",
    {
        "CONTACT": "A person working for the company.",
        "INVOICE": "The address invoices go to.",
        "DELIVERY": "The address goods are delivered to.",
        "OTHER": "Any other address.",
    },
)
