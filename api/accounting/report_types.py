"""What the accounting reports return: trial balance and aged lines, ledger sections with
their paged lines, the profit and loss and the balance sheet.

Report amounts are in the company currency, rounded by its rules; every record they name
(account, partner, entry, journal) resolves through the request's loaders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.dataloader import DataLoader

from api.accounting.types import Account, Journal, _EntryFields
from api.context import Info
from api.core.types import Money, money
from api.ids import database_key
from api.pagination import (
    After,
    Before,
    Connection,
    First,
    Last,
    PageArgs,
    pack_cursor,
    page_connection,
    unpack_cursor,
)
from domain.accounting import models, reports
from domain.accounting.commands import ACCOUNTING_READ
from domain.core.dispatcher import Permission
from domain.core.models import Company, Currency
from domain.core.money import CurrencyRule
from domain.core.services import currency_rule
from domain.partners.models import Partner as PartnerModel

if TYPE_CHECKING:
    from api.partners.types import Partner


async def company_rule(info: Info) -> CurrencyRule:
    """How the request's company currency rounds: every report amount is rounded by it."""
    company = await info.context.loaders.one(Company, info.context.company_id)
    if company is None:
        raise GraphQLError("There is no company to report on: see the X-Company-Id header.")
    return currency_rule(await info.context.loaders.one(Currency, company.currency_id))


async def _account(info: Info, account_id: int | None) -> Account:
    return await info.context.loaders.one(models.Account, account_id)


async def _partner(
    info: Info, partner_id: int | None
) -> Annotated[Partner, strawberry.lazy("api.partners.types")] | None:
    return await info.context.loaders.one(PartnerModel, partner_id)


@strawberry.type(description="An account's line of the trial balance, in the company currency.")
class TrialBalanceLine:
    read_permission: ClassVar[Permission | None] = ACCOUNTING_READ
    account_id: strawberry.Private[int | None]
    opening: Decimal = strawberry.field(description="Balance (debit − credit) before the period.")
    debit: Decimal = strawberry.field(description="Debits in the period.")
    credit: Decimal = strawberry.field(description="Credits in the period.")
    closing: Decimal = strawberry.field(description="Opening + debit − credit.")

    @strawberry.field(description="The account.")
    async def account(self, info: Info) -> Account:
        return await _account(info, self.account_id)


@strawberry.type(description="A partner's open amounts by days past due, in the company currency.")
class AgedBalanceLine:
    read_permission: ClassVar[Permission | None] = ACCOUNTING_READ
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
        return await _partner(info, self.partner_id)


@strawberry.type(
    description="A posted journal line in a ledger, with the section's balance after it; "
    "amounts in the company currency unless said otherwise."
)
class LedgerLine:
    date: dt.date = strawberry.field(description="The entry's date.")
    entry_number: str | None = strawberry.field(
        description="The entry's number, e.g. INV/2026/00001."
    )
    label: str | None = strawberry.field(description="The line's label.")
    debit: Decimal = strawberry.field(description="Debit.")
    credit: Decimal = strawberry.field(description="Credit.")
    balance: Decimal = strawberry.field(
        description="Running balance: the section's opening plus debits less credits up to and "
        "including this line, in the order of the list."
    )
    line: strawberry.Private[reports.LedgerLine]

    @strawberry.field(description="Debit − credit in the line's own currency.")
    async def amount_currency(self, info: Info) -> Money:
        return await money(info, self.line.amount_currency, self.line.currency_id)

    @strawberry.field(description="The journal entry or invoice the line belongs to.")
    async def entry(self, info: Info) -> _EntryFields:
        return await info.context.loaders.one(models.JournalEntry, self.line.entry_id)

    @strawberry.field(description="The journal of the entry.")
    async def journal(self, info: Info) -> Journal:
        return await info.context.loaders.one(models.Journal, self.line.journal_id)

    @strawberry.field(description="The account.")
    async def account(self, info: Info) -> Account:
        return await _account(info, self.line.account_id)

    @strawberry.field(description="The partner, if the line has one.")
    async def partner(
        self, info: Info
    ) -> Annotated[Partner, strawberry.lazy("api.partners.types")] | None:
        return await _partner(info, self.line.partner_id)


def _cursor(line: LedgerLine) -> str:
    return pack_cursor(line.line.position)


def _position(cursor: str | None) -> reports.Position | None:
    def parse(values: list[Any]) -> reports.Position:
        date, entry_id, line_id = values
        return dt.date.fromisoformat(date), database_key(entry_id), database_key(line_id)

    return None if cursor is None else unpack_cursor(cursor, parse)


def _lines_loader(
    info: Info, ledger: reports.Ledger, page: reports.LinePage, rule: CurrencyRule
) -> DataLoader[reports.LedgerTotals, list[LedgerLine]]:
    async def load(sections: Sequence[reports.LedgerTotals]) -> list[list[LedgerLine]]:
        pages = await reports.ledger_lines(info.context.session.execute, ledger, sections, page)
        return [
            [
                LedgerLine(
                    date=line.date,
                    entry_number=line.entry_number,
                    label=line.label,
                    debit=rule.round(line.debit),
                    credit=rule.round(line.credit),
                    balance=rule.round(line.balance),
                    line=line,
                )
                for line in pages[section.key]
            ]
            for section in sections
        ]

    return DataLoader(load_fn=load)


@strawberry.interface(
    description="A section of a ledger, in the company currency: its balance before the "
    "period, its debits and credits in the period, its balance at the end, and the period's "
    "lines."
)
class LedgerSection:
    opening: Decimal = strawberry.field(description="Balance (debit − credit) before the period.")
    debit: Decimal = strawberry.field(description="Debits in the period.")
    credit: Decimal = strawberry.field(description="Credits in the period.")
    closing: Decimal = strawberry.field(description="Opening + debit − credit.")
    ledger: strawberry.Private[reports.Ledger]
    totals: strawberry.Private[reports.LedgerTotals]
    rule: strawberry.Private[CurrencyRule]

    @strawberry.field(
        description="The period's lines by date, entry and line, each with the running balance."
    )
    async def lines(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[LedgerLine]:
        args = PageArgs(first, after, last, before)
        page = reports.LinePage(args.size, _position(after), _position(before), args.backward)
        loader = info.context.loaders.get(
            ("accounting.ledger_lines", self.ledger, page),
            lambda: _lines_loader(info, self.ledger, page, self.rule),
        )
        lines = await loader.load(self.totals)

        async def count() -> int:
            return self.totals.lines

        return page_connection(lines, args, count, _cursor)


@strawberry.type(description="An account's section of the general ledger.")
class GeneralLedgerAccount(LedgerSection):
    read_permission: ClassVar[Permission | None] = ACCOUNTING_READ

    @strawberry.field(description="The account.")
    async def account(self, info: Info) -> Account:
        return await _account(info, self.totals.key)


@strawberry.type(
    description="A partner's section of the partner ledger, over its receivable and payable lines."
)
class PartnerLedgerPartner(LedgerSection):
    read_permission: ClassVar[Permission | None] = ACCOUNTING_READ

    @strawberry.field(description="The partner; null for the lines without one.")
    async def partner(
        self, info: Info
    ) -> Annotated[Partner, strawberry.lazy("api.partners.types")] | None:
        return await _partner(info, self.totals.key)


S = TypeVar("S", bound=LedgerSection)


async def ledger_sections(info: Info, ledger: reports.Ledger, section: type[S]) -> list[S]:
    """The sections of `ledger`; their lines load when asked for, all sections together."""
    totals = await reports.ledger_totals(info.context.session.execute, ledger)
    rule = await company_rule(info)
    return [
        section(
            opening=rule.round(row.opening),
            debit=rule.round(row.debit),
            credit=rule.round(row.credit),
            closing=rule.round(row.closing),
            ledger=ledger,
            totals=row,
            rule=rule,
        )
        for row in totals
    ]


@strawberry.type(
    description="An account's amount in a financial statement, in the company currency, "
    "positive when the account holds what its section expects."
)
class StatementAccount:
    account_id: strawberry.Private[int]
    amount: Decimal = strawberry.field(description="The amount.")

    @strawberry.field(description="The account.")
    async def account(self, info: Info) -> Account:
        return await _account(info, self.account_id)


@strawberry.type(description="Accounts shown together in a financial statement, and their total.")
class StatementSection:
    accounts: list[StatementAccount] = strawberry.field(
        description="The accounts with posted lines, by code."
    )
    total: Decimal = strawberry.field(description="Sum of the accounts' amounts.")


def statement_section(section: reports.StatementSection, rule: CurrencyRule) -> StatementSection:
    return StatementSection(
        accounts=[
            StatementAccount(account_id=account.account_id, amount=rule.round(account.amount))
            for account in section.accounts
        ],
        total=rule.round(section.total),
    )


@strawberry.type(
    description="Profit and loss of a period, in the company currency; income and expenses "
    "are both shown positive."
)
class ProfitAndLoss:
    read_permission: ClassVar[Permission | None] = ACCOUNTING_READ
    date_from: dt.date = strawberry.field(description="First day of the period.")
    date_to: dt.date = strawberry.field(description="Last day of the period.")
    currency: str = strawberry.field(description="ISO 4217 code of the company currency.")
    income: StatementSection = strawberry.field(description="Operating income (sales).")
    cost_of_revenue: StatementSection = strawberry.field(
        description="Direct costs of what was sold, e.g. cost of goods sold."
    )
    gross_profit: Decimal = strawberry.field(description="Income − cost of revenue.")
    other_income: StatementSection = strawberry.field(
        description="Other income, e.g. exchange gains."
    )
    expenses: StatementSection = strawberry.field(description="Other expenses.")
    net_profit: Decimal = strawberry.field(
        description="Gross profit + other income − expenses; negative for a loss."
    )


@strawberry.type(
    description="Balance sheet on a day, in the company currency: total assets always equal "
    "liabilities plus equity."
)
class BalanceSheet:
    read_permission: ClassVar[Permission | None] = ACCOUNTING_READ
    as_of: dt.date = strawberry.field(description="The day the balances are taken at.")
    currency: str = strawberry.field(description="ISO 4217 code of the company currency.")
    assets: StatementSection = strawberry.field(description="Assets, debit balances positive.")
    liabilities: StatementSection = strawberry.field(
        description="Liabilities, credit balances positive."
    )
    equity: StatementSection = strawberry.field(
        description="Equity accounts, credit balances positive."
    )
    unallocated_earnings: Decimal = strawberry.field(
        description="All income less all expenses up to the day, not yet moved to an equity "
        "account; part of equity."
    )
    total_equity: Decimal = strawberry.field(
        description="Equity accounts plus unallocated earnings."
    )
    total_liabilities_and_equity: Decimal = strawberry.field(
        description="Liabilities plus total equity; equal to the total assets."
    )
