"""Accounting reports as queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from api.accounting.types import Account
from api.context import Info
from domain.accounting import models, reports
from domain.partners.models import Partner as PartnerModel

if TYPE_CHECKING:
    from api.partners.types import Partner


@strawberry.type(description="An account's line of the trial balance, in the company currency.")
class TrialBalanceLine:
    account_id: strawberry.Private[int]
    opening: Decimal = strawberry.field(description="Balance (debit − credit) before the period.")
    debit: Decimal = strawberry.field(description="Debits in the period.")
    credit: Decimal = strawberry.field(description="Credits in the period.")
    closing: Decimal = strawberry.field(description="Opening + debit − credit.")

    @strawberry.field(description="The account.")
    async def account(self, info: Info) -> Account:
        return await info.context.loaders.by_id(models.Account).load(self.account_id)  # type: ignore[return-value]


@strawberry.type(description="A partner's open amounts by days past due, in the company currency.")
class AgedBalanceLine:
    partner_id: strawberry.Private[int | None]
    not_due: Decimal = strawberry.field(description="Not yet due.")
    days_1_30: Decimal = strawberry.field(name="days1To30", description="1 to 30 days past due.")
    days_31_60: Decimal = strawberry.field(name="days31To60", description="31 to 60 days past due.")
    days_61_90: Decimal = strawberry.field(name="days61To90", description="61 to 90 days past due.")
    older: Decimal = strawberry.field(name="over90", description="More than 90 days past due.")
    total: Decimal = strawberry.field(description="All of the above.")

    @strawberry.field(description="The partner; null for lines without one.")
    async def partner(
        self, info: Info
    ) -> Annotated[Partner, strawberry.lazy("api.partners.types")] | None:
        return await info.context.loaders.one(PartnerModel, self.partner_id)


async def _aged(
    info: Info, as_of: dt.date, account_type: models.AccountType
) -> list[AgedBalanceLine]:
    rows = await reports.aged_balance(
        info.context.session.execute, info.context.company_id, as_of, account_type
    )
    return [
        AgedBalanceLine(
            partner_id=row.partner_id,
            not_due=_money(row.not_due),
            days_1_30=_money(row.days_1_30),
            days_31_60=_money(row.days_31_60),
            days_61_90=_money(row.days_61_90),
            older=_money(row.older),
            total=_money(row.total),
        )
        for row in rows
    ]


AS_OF = strawberry.argument(description="The day the ages are counted to.")


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


@strawberry.type
class ReportQuery:
    @strawberry.field(
        description="Trial balance of posted entries: per account, opening balance, debits "
        "and credits of the period, closing balance. The closings sum to zero."
    )
    async def trial_balance(
        self,
        info: Info,
        date_from: Annotated[dt.date, strawberry.argument(description="First day of the period.")],
        date_to: Annotated[dt.date, strawberry.argument(description="Last day of the period.")],
    ) -> list[TrialBalanceLine]:
        rows = await reports.trial_balance(
            info.context.session.execute, info.context.company_id, date_from, date_to
        )
        return [
            TrialBalanceLine(
                account_id=row.account_id,
                opening=_money(row.opening),
                debit=_money(row.debit),
                credit=_money(row.credit),
                closing=_money(row.closing),
            )
            for row in rows
        ]

    @strawberry.field(
        description="Aged receivables: each customer's open invoice amounts by days past due "
        "(not due, 1–30, 31–60, 61–90, 90+), as of a date."
    )
    async def aged_receivables(
        self, info: Info, as_of: Annotated[dt.date, AS_OF]
    ) -> list[AgedBalanceLine]:
        return await _aged(info, as_of, models.AccountType.ASSET_RECEIVABLE)

    @strawberry.field(
        description="Aged payables: what we owe each vendor by days past due, as of a date."
    )
    async def aged_payables(
        self, info: Info, as_of: Annotated[dt.date, AS_OF]
    ) -> list[AgedBalanceLine]:
        return await _aged(info, as_of, models.AccountType.LIABILITY_PAYABLE)
