"""Partners: people and companies, with contacts and addresses as child partners."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.db import Base, CompanyOwned, Timestamped


class AddressType(enum.Enum):
    """What a child partner is to its parent: a contact person or one of its addresses."""

    CONTACT = "contact"
    INVOICE = "invoice"
    DELIVERY = "delivery"
    OTHER = "other"


class Partner(CompanyOwned, Timestamped, Base):
    """A person or a company we do business with.

    A company partner owns contacts and addresses as children (`parent_id`); an order to the
    company invoices its `invoice` child and ships to its `delivery` child when it has them.
    """

    __tablename__ = "partner"
    __table_args__ = (
        Index(
            "uq_partner_customer_email",
            "company_id",
            "email",
            unique=True,
            postgresql_where=text("is_customer AND email IS NOT NULL"),
            sqlite_where=text("is_customer AND email IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    is_company: Mapped[bool] = mapped_column(default=False)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"), index=True)
    address_type: Mapped[AddressType] = mapped_column(default=AddressType.CONTACT)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    vat: Mapped[str | None] = mapped_column(String(32))
    street: Mapped[str | None] = mapped_column(String(200))
    street2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    zip: Mapped[str | None] = mapped_column(String(20))
    country_code: Mapped[str | None] = mapped_column(String(2))
    is_customer: Mapped[bool] = mapped_column(default=False)
    is_vendor: Mapped[bool] = mapped_column(default=False)
    #: The payment term agreed with this partner; the accounting area defines the terms.
    payment_term_id: Mapped[int | None]
    active: Mapped[bool] = mapped_column(default=True)
