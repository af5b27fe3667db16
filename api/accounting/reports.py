"""Accounting reports as queries over the posted entries of the request's company.

A refused argument (a period that ends before it starts, an unknown account) is a request
error carrying the accounting error code and the argument's path in its `extensions`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from api.accounting.report_types import (
    AgedBalanceLine,
    BalanceSheet,
    GeneralLedgerAccount,
    PartnerLedgerPartner,
    ProfitAndLoss,
    TrialBalanceLine,
    company_rule,
    ledger_sections,
    statement_section,
)
from api.context import Info
from api.errors import query_errors
from api.ids import decode_ids
from domain.accounting import models, reports

DateFrom = Annotated[dt.date, strawberry.argument(description="First day of the period.")]
DateTo = Annotated[dt.date, strawberry.argument(description="Last day of the period.")]
AsOf = Annotated[dt.date, strawberry.argument(description="The day the ages are counted to.")]


async def _aged(
    info: Info, as_of: dt.date, account_type: models.AccountType
) -> list[AgedBalanceLine]:
    rows = await reports.aged_balance(
        info.context.session.execute, info.context.company_id, as_of, account_type
    )
    rule = await company_rule(info)
    return [
        AgedBalanceLine(
            partner_id=row.partner_id,
            not_due=rule.round(row.not_due),
            days_1_30=rule.round(row.days_1_30),
            days_31_60=rule.round(row.days_31_60),
            days_61_90=rule.round(row.days_61_90),
            older=rule.round(row.older),
            total=rule.round(row.total),
        )
        for row in rows
    ]


def _keys(ids: list[strawberry.ID] | None, type_name: str, field: str) -> tuple[int, ...] | None:
    return None if ids is None else tuple(decode_ids(ids, type_name, field))


@strawberry.type
class ReportQuery:
    @strawberry.field(
        description="Trial balance of posted entries: per account, opening balance, debits "
        "and credits of the period, closing balance. The closings sum to zero."
    )
    async def trial_balance(
        self, info: Info, date_from: DateFrom, date_to: DateTo
    ) -> list[TrialBalanceLine]:
        with query_errors():
            rows = await reports.trial_balance(
                info.context.session.execute, info.context.company_id, date_from, date_to
            )
        rule = await company_rule(info)
        return [
            TrialBalanceLine(
                account_id=row.key,
                opening=rule.round(row.opening),
                debit=rule.round(row.debit),
                credit=rule.round(row.credit),
                closing=rule.round(row.closing),
            )
            for row in rows
        ]

    @strawberry.field(
        description="General ledger of posted entries: per account with posted lines up to "
        "`dateTo` (only those of `accountIds` when given), by code, the opening balance, the "
        "period's lines with their running balance, the period's debits and credits and the "
        "closing balance."
    )
    async def general_ledger(
        self,
        info: Info,
        date_from: DateFrom,
        date_to: DateTo,
        account_ids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(description="Only these accounts; all when left out."),
        ] = None,
    ) -> list[GeneralLedgerAccount]:
        with query_errors():
            ledger = reports.AccountLedger(
                info.context.company_id,
                date_from,
                date_to,
                _keys(account_ids, "Account", "account_ids"),
            )
            return await ledger_sections(info, ledger, GeneralLedgerAccount)

    @strawberry.field(
        description="Partner ledger of posted entries on receivable and payable accounts: per "
        "partner with such lines up to `dateTo`, by partner ID and those without a partner "
        "last, the opening balance (what they owe us, positive, or we owe them, negative), the "
        "period's lines with their running balance, debits, credits and closing balance."
    )
    async def partner_ledger(
        self,
        info: Info,
        date_from: DateFrom,
        date_to: DateTo,
        account_types: Annotated[
            list[models.AccountType] | None,
            strawberry.argument(
                description="ASSET_RECEIVABLE, LIABILITY_PAYABLE or both (when left out)."
            ),
        ] = None,
        partner_ids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(description="Only these partners; all when left out."),
        ] = None,
    ) -> list[PartnerLedgerPartner]:
        with query_errors():
            ledger = reports.PartnerLedger(
                info.context.company_id,
                date_from,
                date_to,
                models.RECONCILABLE_TYPES if account_types is None else frozenset(account_types),
                _keys(partner_ids, "Partner", "partner_ids"),
            )
            return await ledger_sections(info, ledger, PartnerLedgerPartner)

    @strawberry.field(
        description="Profit and loss of a period: income, cost of revenue, gross profit, "
        "other income, expenses and net profit, per account."
    )
    async def profit_and_loss(
        self, info: Info, date_from: DateFrom, date_to: DateTo
    ) -> ProfitAndLoss:
        with query_errors():
            result = await reports.profit_and_loss(
                info.context.session.execute, info.context.company_id, date_from, date_to
            )
        rule = await company_rule(info)
        return ProfitAndLoss(
            date_from=date_from,
            date_to=date_to,
            currency=rule.code,
            income=statement_section(result.income, rule),
            cost_of_revenue=statement_section(result.cost_of_revenue, rule),
            gross_profit=rule.round(result.gross_profit),
            other_income=statement_section(result.other_income, rule),
            expenses=statement_section(result.expenses, rule),
            net_profit=rule.round(result.net_profit),
        )

    @strawberry.field(
        description="Balance sheet on a day: assets, liabilities and equity per account, the "
        "earnings not yet allocated counted in equity."
    )
    async def balance_sheet(
        self,
        info: Info,
        as_of: Annotated[
            dt.date, strawberry.argument(description="The day the balances are taken at.")
        ],
    ) -> BalanceSheet:
        result = await reports.balance_sheet(
            info.context.session.execute, info.context.company_id, as_of
        )
        rule = await company_rule(info)
        return BalanceSheet(
            as_of=as_of,
            currency=rule.code,
            assets=statement_section(result.assets, rule),
            liabilities=statement_section(result.liabilities, rule),
            equity=statement_section(result.equity, rule),
            unallocated_earnings=rule.round(result.unallocated_earnings),
            total_equity=rule.round(result.total_equity),
            total_liabilities_and_equity=rule.round(result.total_liabilities_and_equity),
        )

    @strawberry.field(
        description="Aged receivables: each customer's open invoice amounts by days past due "
        "(not due, 1–30, 31–60, 61–90, 90+), as of a date."
    )
    async def aged_receivables(self, info: Info, as_of: AsOf) -> list[AgedBalanceLine]:
        return await _aged(info, as_of, models.AccountType.ASSET_RECEIVABLE)

    @strawberry.field(
        description="Aged payables: what we owe each vendor by days past due, as of a date."
    )
    async def aged_payables(self, info: Info, as_of: AsOf) -> list[AgedBalanceLine]:
        return await _aged(info, as_of, models.AccountType.LIABILITY_PAYABLE)
