"""Companies, currencies, units of measure, sequences and the outbox."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.db import Base, CompanyOwned, Timestamped, utcnow

#: Column type for money amounts: exact, wide enough for any ledger.
MONEY = Numeric(20, 6)
#: Money and quantities stay below this: 14 digits before the point.
AMOUNT_LIMIT = Decimal("1e14")


def storable(amount: Decimal) -> bool:
    """Whether a money or quantity column can keep `amount`."""
    return amount.is_finite() and abs(amount) < AMOUNT_LIMIT


#: Column type for quantities.
QUANTITY = Numeric(20, 6)


class Currency(Base):
    """An ISO 4217 currency and how its amounts are rounded."""

    __tablename__ = "currency"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(3), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    symbol: Mapped[str] = mapped_column(String(8))
    #: Digits of the minor unit (2 for EUR, 0 for JPY, 3 for KWD).
    digits: Mapped[int]
    #: Smallest amount step; 0.01 for EUR, 0.05 for CHF cash rounding.
    rounding: Mapped[Decimal] = mapped_column(MONEY)
    active: Mapped[bool] = mapped_column(default=True)


#: Column type for exchange rates.
RATE = Numeric(24, 12)


class CurrencyRate(CompanyOwned, Base):
    """What one unit of a currency is worth in the company's currency from `date` on.

    A document dated D converts at the rate with the latest date on or before D.
    """

    __tablename__ = "currency_rate"
    __table_args__ = (UniqueConstraint("company_id", "currency_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    currency_id: Mapped[int] = mapped_column(ForeignKey("currency.id"))
    date: Mapped[dt.date]
    #: Company-currency units per one unit of the currency: 0.92 for USD in a EUR company.
    rate: Mapped[Decimal] = mapped_column(RATE)


class Company(Timestamped, Base):
    """A legal entity keeping its own books; every business record belongs to one."""

    __tablename__ = "company"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    currency_id: Mapped[int] = mapped_column(ForeignKey("currency.id"))
    vat: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    country_code: Mapped[str | None] = mapped_column(String(2))


class UomCategory(Base):
    """Units that convert into each other: Unit, Weight, Time, Length, Volume."""

    __tablename__ = "uom_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)


class Uom(Base):
    """A unit of measure. `ratio` is how many reference units of its category one unit is."""

    __tablename__ = "uom"
    __table_args__ = (UniqueConstraint("category_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("uom_category.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    ratio: Mapped[Decimal] = mapped_column(Numeric(20, 10))
    #: Quantities in this unit are rounded to a multiple of this (1 for Units, 0.001 for kg).
    rounding: Mapped[Decimal] = mapped_column(QUANTITY)
    active: Mapped[bool] = mapped_column(default=True)


class Sequence(Base):
    """A gap-free counter per company and document kind (`sale.order` → S00001, ...)."""

    __tablename__ = "sequence"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"))
    code: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(40))
    padding: Mapped[int] = mapped_column(default=5)
    next_number: Mapped[int] = mapped_column(default=1)


class OutboxState(enum.Enum):
    """`pending → sent → done`; `failed` after the handler gave up."""

    PENDING = "pending"
    SENT = "sent"
    DONE = "done"
    FAILED = "failed"


class OutboxMessage(Base):
    """Work leaving the process, written in the transaction that caused it.

    The relay hands committed rows to Dramatiq; a rolled-back change leaves no row behind.
    """

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id"))
    topic: Mapped[str] = mapped_column(String(120), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[OutboxState] = mapped_column(default=OutboxState.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]
    done_at: Mapped[dt.datetime | None]


class IdempotencyRecord(Base):
    """A command run under an idempotency key: the same key and actor give its result back.

    The fingerprint is a digest of the command's input, so the same key sent with another
    input is refused instead of answered with the first result.
    """

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("actor", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(200))
    command: Mapped[str] = mapped_column(String(80))
    fingerprint: Mapped[str] = mapped_column(String(64))
    result_type: Mapped[str | None] = mapped_column(String(80))
    result_id: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class JobRunState(enum.Enum):
    """`running → done`, `failed` or `dropped`; a failed run is tried again by its message.

    running: an attempt is under way (or was cut off; the message comes back); done: the
    work committed; failed: the last attempt raised (`error` says what); dropped: the record
    it was for no longer exists, so it was not retried.
    """

    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    DROPPED = "dropped"


class JobRun(CompanyOwned, Base):
    """One unit of background work (a message to an actor), by its key: a redelivered or
    duplicated message finds its run done and changes nothing twice."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(80), index=True)
    key: Mapped[str] = mapped_column(String(200))
    state: Mapped[JobRunState] = mapped_column(default=JobRunState.RUNNING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[dt.datetime | None]
    error: Mapped[str | None] = mapped_column(String(2000))
    #: What the run created, as the command's result summarized (IDs by kind, counts).
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
