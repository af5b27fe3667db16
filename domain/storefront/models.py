"""Storefront channels and their tokens."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.db import Base, CompanyOwned, Timestamped, utcnow


class TaxDisplay(enum.Enum):
    """How a channel shows prices: taxes `included` in them, or `excluded` and added at the
    end."""

    INCLUDED = "included"
    EXCLUDED = "excluded"


class Channel(CompanyOwned, Timestamped, Base):
    """A storefront of a company: its currency, its pricelist, the warehouses whose stock it
    shows, and how it shows taxes."""

    __tablename__ = "storefront_channel"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    currency_id: Mapped[int] = mapped_column(ForeignKey("currency.id"))
    pricelist_id: Mapped[int | None] = mapped_column(ForeignKey("pricelist.id"))
    tax_display: Mapped[TaxDisplay]
    active: Mapped[bool] = mapped_column(default=True)


#: The warehouses whose stock a channel shows; none: every warehouse of the company.
channel_warehouse = Table(
    "storefront_channel_warehouse",
    Base.metadata,
    Column("channel_id", ForeignKey("storefront_channel.id", ondelete="CASCADE"), primary_key=True),
    Column("warehouse_id", ForeignKey("stock_warehouse.id"), primary_key=True),
)


class StorefrontToken(CompanyOwned, Base):
    """A publishable key of one channel: storefront pages send it with every request.

    It is meant to be embedded in public pages, so it is kept as it is (unlike API keys);
    it grants only what a visitor of the channel may do.
    """

    __tablename__ = "storefront_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("storefront_channel.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]
