"""Bank statements over GraphQL: import a bank's CSV file, list statements with their lines
and each line's match candidates, reconcile lines by hand or automatically."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import Select, exists, select
from strawberry.dataloader import DataLoader

from api import arguments
from api.access import dispatches
from api.accounting.types import AccountingError, Invoice, Journal, JournalEntry, Payment
from api.context import Info
from api.core.types import Money, money
from api.enums import graphql_enum
from api.filters import DateRangeInput, in_range, text_search
from api.ids import decode_id, decode_ids
from api.nodes import ModelNode
from api.pagination import (
    FILTER,
    SORT,
    After,
    Before,
    Connection,
    First,
    Last,
    PageArgs,
    Sort,
    SortDirection,
    root_connection,
)
from api.payloads import Payload, run, step
from domain.accounting import commands as c
from domain.accounting import models, statements
from domain.accounting.models import StatementLineState
from domain.accounting.statements import MatchCandidate, MatchRank
from domain.core.records import scoped
from domain.partners.models import Partner as PartnerModel

if TYPE_CHECKING:
    from api.partners.types import Partner

graphql_enum(
    StatementLineState,
    "Where a statement line stands. Allowed moves: open → reconciled (by a payment or an "
    "entry against an account); reconciled → open when that is undone.",
    {
        "OPEN": "Not recorded in the books yet.",
        "RECONCILED": "Recorded by a payment or an entry; reconciling again is refused.",
    },
)
graphql_enum(
    MatchRank,
    "Why an open invoice is a candidate for a statement line, strongest first.",
    {
        "REFERENCE": "The line's label holds the invoice's number or reference.",
        "PARTNER_AMOUNT": "The open amount equals the line's, and the partner is the line's.",
        "AMOUNT": "The open amount equals the line's; the partner may differ. A suggestion "
        "for a person: never paid automatically.",
    },
)


def line_candidates(info: Info) -> DataLoader[int, list[MatchCandidate]]:
    """The candidates of every requested line, in one statement."""
    context = info.context

    async def load(keys: Sequence[int]) -> list[list[MatchCandidate]]:
        found = await statements.match_candidates(context.session, context.company_id, keys)
        return [found.get(key, []) for key in keys]

    return context.loaders.get(
        "accounting.statement_line_candidates", lambda: DataLoader(load_fn=load)
    )


@strawberry.type(description="An open invoice or bill a statement line may pay.")
class BankStatementMatch:
    rank: MatchRank = strawberry.field(description="Why it is a candidate.")
    invoice_id: strawberry.Private[int]
    open_amount: strawberry.Private[Decimal]
    currency_id: strawberry.Private[int]

    @strawberry.field(description="The invoice or bill.")
    async def invoice(self, info: Info) -> Invoice:
        return await info.context.loaders.one(models.JournalEntry, self.invoice_id)

    @strawberry.field(description="What is still open of it, in the company's currency.")
    async def amount_residual(self, info: Info) -> Money:
        return await money(info, self.open_amount, self.currency_id)


@strawberry.type(
    description="One transaction of a statement: positive amounts came in, negative went out."
)
class BankStatementLine(ModelNode):
    model = models.BankStatementLine
    date: dt.date = strawberry.field(description="Booking date.")
    label: str = strawberry.field(description="What the bank printed: description, reference.")
    partner_name: str | None = strawberry.field(
        description="The counterparty as the file names it."
    )
    transaction_id: str | None = strawberry.field(description="The bank's id of the transaction.")
    state: StatementLineState = strawberry.field(description="Whether it is recorded yet.")
    statement_id: strawberry.Private[int]
    currency_id: strawberry.Private[int]
    partner_id: strawberry.Private[int | None]
    payment_id: strawberry.Private[int | None]
    entry_id: strawberry.Private[int | None]

    @strawberry.field(description="Signed amount: positive in, negative out.")
    async def amount(self, info: Info, root: strawberry.Parent[models.BankStatementLine]) -> Money:
        return await money(info, root.amount, root.currency_id)

    @strawberry.field(
        description="The partner bearing the file's name (when exactly one does, in any case), "
        "else the payment's once reconciled."
    )
    async def partner(
        self, info: Info
    ) -> Annotated[Partner, strawberry.lazy("api.partners.types")] | None:
        return await info.context.loaders.one(PartnerModel, self.partner_id)

    @strawberry.field(description="The statement it belongs to.")
    async def statement(self, info: Info) -> BankStatement:
        return await info.context.loaders.one(models.BankStatement, self.statement_id)

    @strawberry.field(description="The payment recording it, when it paid or was paid.")
    async def payment(self, info: Info) -> Payment | None:
        return await info.context.loaders.one(models.Payment, self.payment_id)

    @strawberry.field(
        description="The posted entry recording it: the payment's, or one against an account."
    )
    async def entry(self, info: Info) -> JournalEntry | None:
        return await info.context.loaders.one(models.JournalEntry, self.entry_id)

    @strawberry.field(
        description="Open invoices and bills it may pay, strongest first; none once reconciled."
    )
    async def match_candidates(self, info: Info) -> list[BankStatementMatch]:
        return [
            BankStatementMatch(
                rank=candidate.rank,
                invoice_id=candidate.invoice_id,
                open_amount=abs(candidate.amount_residual),
                currency_id=self.currency_id,
            )
            for candidate in await line_candidates(info).load(self.id)
        ]


@strawberry.type(
    description="What a bank or cash account saw over a period, imported from the bank's file."
)
class BankStatement(ModelNode):
    model = models.BankStatement
    name: str = strawberry.field(description="Number, e.g. BNK/ST/2026/00001.")
    reference: str | None = strawberry.field(description="The bank's reference of it.")
    date: dt.date = strawberry.field(description="Statement date.")
    journal_id: strawberry.Private[int]
    currency_id: strawberry.Private[int]

    @strawberry.field(description="Balance before its lines.")
    async def balance_start(
        self, info: Info, root: strawberry.Parent[models.BankStatement]
    ) -> Money:
        return await money(info, root.balance_start, root.currency_id)

    @strawberry.field(description="Balance after its lines: the starting one plus its lines.")
    async def balance_end(self, info: Info, root: strawberry.Parent[models.BankStatement]) -> Money:
        return await money(info, root.balance_end, root.currency_id)

    @strawberry.field(description="Sum of its lines' amounts.")
    async def lines_total(self, info: Info, root: strawberry.Parent[models.BankStatement]) -> Money:
        return await money(info, root.lines_total, root.currency_id)

    @strawberry.field(description="The bank or cash journal.")
    async def journal(self, info: Info) -> Journal:
        return await info.context.loaders.one(models.Journal, self.journal_id)

    @strawberry.field(description="Its transactions, in file order.")
    async def lines(self, info: Info) -> list[BankStatementLine]:
        line = models.BankStatementLine
        loader = info.context.loaders.by_parent(line.statement_id, line.sequence, line.id)
        return await loader.load(self.id)


@strawberry.input(description="Which bank statements to list; all given conditions must hold.")
class BankStatementFilterInput:
    search: str | None = strawberry.field(default=None, description="Text in name or reference.")
    journal_id: strawberry.ID | None = strawberry.field(
        default=None, description="Of this journal."
    )
    date: DateRangeInput | None = strawberry.field(default=None, description="Date range.")
    has_open_lines: bool | None = strawberry.field(
        default=None, description="True: with lines still to reconcile; false: without."
    )


@strawberry.enum(description="What bank statements can be sorted by.")
class BankStatementSortField(enum.Enum):
    DATE = strawberry.enum_value("date", description="Statement date.")
    NAME = strawberry.enum_value("name", description="Number.")


@strawberry.input(description="Sort order of a bank statement list.")
class BankStatementSortInput:
    field: BankStatementSortField = strawberry.field(description="What to sort by.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.DESC, description="Descending (default) or ascending."
    )


def statement_query(info: Info, where: BankStatementFilterInput | None) -> Select[Any]:
    statement = models.BankStatement
    line = models.BankStatementLine
    where = where or BankStatementFilterInput()
    query = scoped(statement, [info.context.company_id]).where(
        *text_search(where.search, statement.name, statement.reference)
    )
    if where.journal_id is not None:
        query = query.where(
            statement.journal_id == decode_id(where.journal_id, "Journal", "journal_id")
        )
    if where.has_open_lines is not None:
        open_lines = exists(
            select(line.id).where(
                line.statement_id == statement.id, line.state == models.StatementLineState.OPEN
            )
        )
        query = query.where(open_lines if where.has_open_lines else ~open_lines)
    return in_range(query, statement.date, where.date)


def statement_sort(sort_by: BankStatementSortInput | None) -> Sort:
    sort_by = sort_by or BankStatementSortInput(field=BankStatementSortField.DATE)
    statement = models.BankStatement
    column = {
        BankStatementSortField.DATE: statement.date,
        BankStatementSortField.NAME: statement.name,
    }[sort_by.field]
    return Sort(column, statement.id, descending=sort_by.direction is SortDirection.DESC)


@strawberry.type
class BankStatementQuery:
    @strawberry.field(description="Bank statements; latest first by default.")
    async def bank_statements(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[BankStatementFilterInput | None, FILTER] = None,
        sort_by: Annotated[BankStatementSortInput | None, SORT] = None,
    ) -> Connection[BankStatement]:
        return await root_connection(
            info.context.session,
            statement_query(info, filter),
            statement_sort(sort_by),
            PageArgs(first, after, last, before),
        )


@strawberry.input(description="A bank's CSV file to import as a statement of a journal.")
class BankStatementImportInput:
    journal_id: strawberry.ID = strawberry.field(description="The bank or cash journal.")
    csv: str = strawberry.field(
        description="The file's text: a header line, then one transaction per line, separated "
        "by commas, semicolons or tabs. Columns, named in any case: date (ISO, e.g. "
        "2026-03-31; or booking date, transaction date, value date); amount (signed, with a "
        "decimal point) or debit (money out) and credit (money in); label (or description, "
        "memo, details); reference (or payment reference); partner (or counterparty, name, "
        "payee, payer); transaction id (or id, unique id). Transactions imported before into "
        "the journal are skipped."
    )
    reference: str | None = strawberry.field(
        default=None, description="The bank's reference of the statement."
    )
    date: dt.date | None = strawberry.field(
        default=None, description="Statement date; the last transaction's by default."
    )
    balance_start: Decimal | None = strawberry.field(
        default=None,
        description="The bank's balance before the file's first transaction; by default the "
        "journal's last ending balance. When given, the statement ends at it plus all the "
        "file's transactions and starts at that less its new lines.",
    )
    balance_end: Decimal | None = strawberry.field(
        default=None,
        description="The bank's balance after the file's last transaction; checked against "
        "the starting balance given plus all the file's transactions, or else against the "
        "journal's last ending balance plus the new ones.",
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description="Retrying with the same key returns the first statement."
    )


@strawberry.input(
    description="How to record a statement line: as a payment of invoices (or on account of "
    "a partner), or against an account for money that pays no invoice."
)
class BankStatementLineReconcileInput:
    invoice_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Invoices or bills of one partner it pays, oldest due first; an excess "
        "stays as the partner's credit.",
    )
    partner_id: strawberry.ID | None = strawberry.field(
        default=None, description="Who paid or was paid; the invoices' or the line's by default."
    )
    account_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Instead of a payment: the counterpart account (bank fees, interest).",
    )


@strawberry.type(description="The bank statement, or why not.")
class BankStatementPayload(Payload, error=AccountingError):
    bank_statement: BankStatement | None = strawberry.field(
        default=None, description="The bank statement."
    )


@strawberry.type(description="The statement line, or why not.")
class BankStatementLinePayload(Payload, error=AccountingError):
    bank_statement_line: BankStatementLine | None = strawberry.field(
        default=None, description="The statement line."
    )


@strawberry.type(description="The statement after automatic reconciliation, or why not.")
class BankStatementReconcileAutoPayload(Payload, error=AccountingError):
    reconciliation: strawberry.Private[statements.AutoReconciliation | None] = None

    @strawberry.field(description="The bank statement.")
    def bank_statement(self) -> BankStatement | None:
        return self.reconciliation.statement if self.reconciliation else None  # type: ignore[return-value]

    @strawberry.field(description="How many of its lines were reconciled.")
    def matched_count(self) -> int | None:
        return self.reconciliation.matched if self.reconciliation else None


RecordId = Annotated[strawberry.ID, arguments.ID]


@strawberry.type
class BankStatementMutation:
    @strawberry.mutation(
        description="Import a bank's CSV file as a statement; a bad line refuses the whole "
        "file. Transactions imported before are skipped; the partner is found by name.",
        metadata=dispatches(c.ImportBankStatement),
    )
    async def bank_statement_import(
        self, info: Info, input: Annotated[BankStatementImportInput, arguments.INPUT]
    ) -> BankStatementPayload:
        return await run(
            info,
            BankStatementPayload,
            lambda company_id: c.ImportBankStatement(
                company_id=company_id,
                idempotency_key=input.idempotency_key,
                journal_id=decode_id(input.journal_id, "Journal", "journal_id"),
                csv=input.csv,
                reference=input.reference,
                date=input.date,
                balance_start=input.balance_start,
                balance_end=input.balance_end,
            ),
        )

    @strawberry.mutation(
        description="Record an open statement line: a payment through the statement's "
        "journal matched with the invoices (partial, exact or over), or a posted entry "
        "against an account. A reconciled line is refused.",
        metadata=dispatches(c.ReconcileStatementLine),
    )
    async def bank_statement_line_reconcile(
        self,
        info: Info,
        id: RecordId,
        input: Annotated[BankStatementLineReconcileInput, arguments.INPUT],
    ) -> BankStatementLinePayload:
        return await run(
            info,
            BankStatementLinePayload,
            lambda company_id: c.ReconcileStatementLine(
                company_id=company_id,
                id=decode_id(id, "BankStatementLine", "id"),
                invoice_ids=tuple(decode_ids(input.invoice_ids, "Invoice", "invoice_ids")),
                partner_id=decode_id(input.partner_id, "Partner", "partner_id")
                if input.partner_id
                else None,
                account_id=decode_id(input.account_id, "Account", "account_id")
                if input.account_id
                else None,
            ),
        )

    @strawberry.mutation(
        description="Pay, for each open line of the statement, its one strongest candidate "
        "when no other ranks as high, it is named by the line's label or has the line's amount "
        "and partner, and it is not another partner's than the one the file names; returns "
        "how many lines it reconciled.",
        metadata=dispatches(c.AutoReconcileBankStatement),
    )
    async def bank_statement_reconcile_auto(
        self, info: Info, id: RecordId
    ) -> BankStatementReconcileAutoPayload:
        return await step(
            info,
            BankStatementReconcileAutoPayload,
            c.AutoReconcileBankStatement,
            id,
            "BankStatement",
        )

    @strawberry.mutation(
        description="Undo a reconciled statement line: its payment's matches are undone (the "
        "invoices reopen), its entry is reversed, and the line is open again. Refused when "
        "its entry was reversed already.",
        metadata=dispatches(c.UnreconcileStatementLine),
    )
    async def bank_statement_line_unreconcile(
        self, info: Info, id: RecordId
    ) -> BankStatementLinePayload:
        return await step(
            info, BankStatementLinePayload, c.UnreconcileStatementLine, id, "BankStatementLine"
        )
