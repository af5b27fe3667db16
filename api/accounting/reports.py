"""Accounting reports as queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

import strawberry

from api.accounting.types import Account
from api.context import Info
from domain.accounting import models, reports


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
