"""Bank statements: imported from the bank's CSV file, matched with open invoices, reconciled.

The whole file is parsed before anything is written, so one bad value refuses the file,
naming its line and column. Every transaction gets an import key, unique per journal: the
bank's transaction id, or else a digest of its date, amount, label and occurrence in the
file, so importing the same transactions again adds nothing.

A line is reconciled either by a payment through the statement's journal, matched with the
chosen invoices (partly, exactly, or with an excess left as the partner's outstanding
credit), or by a posted entry against a counterpart account for money that settles no
invoice: bank fees, interest. Its candidates are the posted invoices and bills still open the
line's way, ranked: the invoice's number or reference in the line's label, then an open amount
equal to the line's with the same partner, then an equal amount with any partner. Automatic
reconciliation pays the first two ranks only, and never the invoice of a partner other than
the one the file names; an equal amount alone is a suggestion for a person.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import hashlib
import io
import re
import string
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Executable, String, and_, case, func, or_, select

from domain.accounting import ledger
from domain.accounting.errors import AccountingError, AccountingErrorCode
from domain.accounting.models import (
    INVOICE_TYPES,
    Account,
    BankStatement,
    BankStatementLine,
    EntryState,
    Journal,
    JournalEntry,
    JournalLine,
    LineKind,
    PaymentType,
    StatementLineState,
)
from domain.accounting.payments import cancel_payment, register_payment
from domain.core.models import AMOUNT_LIMIT, storable
from domain.core.money import ZERO, CurrencyRule
from domain.core.records import get_owned
from domain.core.services import company_currency, currency_rule, next_sequence_number
from domain.core.uow import UnitOfWork
from domain.core.workflow import Workflow
from domain.partners.models import Partner

S = StatementLineState
LINE_WORKFLOW: Workflow[StatementLineState] = Workflow(
    {S.OPEN: frozenset({S.RECONCILED}), S.RECONCILED: frozenset({S.OPEN})},
    lambda current, _target: AccountingError(
        AccountingErrorCode.INVALID_TRANSITION,
        f"The statement line is {current.value} already.",
    ),
)

#: The names a bank file may give each column, compared case-insensitively (runs of spaces,
#: underscores and hyphens count as one space); the first name found wins.
COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date", "booking date", "transaction date", "posting date", "value date"),
    "amount": ("amount", "transaction amount"),
    "debit": ("debit", "withdrawal", "money out", "paid out"),
    "credit": ("credit", "deposit", "money in", "paid in"),
    "label": ("label", "description", "memo", "details", "narrative"),
    "reference": ("reference", "payment reference", "ref", "communication"),
    "partner": ("partner", "partner name", "counterparty", "name", "payee", "payer"),
    "transaction_id": ("transaction id", "unique id", "id", "fitid"),
}


def _length(column: Any) -> int:
    """The longest text `column` holds."""
    length = column.type.length
    assert isinstance(length, int)
    return length


#: Longest values the columns hold.
MAX_LABEL = _length(BankStatementLine.label)
MAX_PARTNER_NAME = _length(BankStatementLine.partner_name)
MAX_TRANSACTION_ID = _length(BankStatementLine.transaction_id)
MAX_REFERENCE = _length(BankStatement.reference)


def _unkeepable_text(value: str) -> str | None:
    """Why a text column cannot keep `value`, if it cannot: a NUL character, or half of a
    UTF-16 surrogate pair (which JSON's escapes can write but UTF-8 cannot)."""
    if "\x00" in value:
        return "a NUL character cannot be kept."
    try:
        value.encode()
    except UnicodeEncodeError:
        return "it is not valid Unicode text."
    return None


@dataclass(frozen=True)
class StatementRow:
    """One transaction as the file gives it; `line` is its line number in the file."""

    line: int
    date: dt.date
    amount: Decimal
    label: str
    partner_name: str | None
    transaction_id: str | None


def _header_key(name: str) -> str:
    return re.sub(r"[\s_-]+", " ", name).strip().lower()


def _columns(header: Sequence[str]) -> dict[str, int]:
    """Field → index of the column giving it."""
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        positions.setdefault(_header_key(name), index)
    return {
        field: next(positions[alias] for alias in aliases if alias in positions)
        for field, aliases in COLUMNS.items()
        if any(alias in positions for alias in aliases)
    }


class _FileLine:
    """One line of the file, read field by field; its errors name the line and column."""

    def __init__(
        self, number: int, cells: Sequence[str], header: Sequence[str], columns: dict[str, int]
    ) -> None:
        self.number, self.cells, self.header, self.columns = number, cells, header, columns

    def text(self, field: str) -> str:
        index = self.columns.get(field)
        if index is None or index >= len(self.cells):
            return ""
        value = self.cells[index].strip()
        problem = _unkeepable_text(value)
        if problem:
            raise self.error(field, problem)
        return value

    def error(
        self, field: str, message: str, code: AccountingErrorCode = AccountingErrorCode.INVALID
    ) -> AccountingError:
        column = self.header[self.columns[field]].strip()
        return AccountingError(
            code,
            f"Line {self.number}, column {column!r}: {message}",
            ["csv", str(self.number), field],
        )

    def limited(self, field: str, value: str, limit: int) -> str:
        if len(value) > limit:
            raise self.error(field, f"at most {limit} characters are kept.")
        return value

    def date(self) -> dt.date:
        text = self.text("date")
        if not text:
            raise self.error("date", "a date is required.", AccountingErrorCode.REQUIRED)
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise self.error("date", f"{text!r} is not a date written like 2026-03-31.") from None

    def money(self, field: str, rule: CurrencyRule) -> Decimal:
        """The amount in `field`; 0 when the cell is empty."""
        text = self.text(field)
        if not text:
            return ZERO
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            raise self.error(field, f"{text!r} is not an amount written like -1234.50.")
        if not storable(value):
            raise self.error(field, f"{text} is too large: amounts stay below {AMOUNT_LIMIT:f}.")
        if rule.round(value) != value:
            raise self.error(field, f"{text} has more decimals than {rule.code} allows.")
        return rule.round(value)

    def amount(self, rule: CurrencyRule) -> Decimal:
        """Signed: the amount column, or credit (money in) minus debit (money out)."""
        if "amount" in self.columns:
            field, amount = "amount", self.money("amount", rule)
        else:
            debit, credit = self.money("debit", rule), self.money("credit", rule)
            field = "debit" if "debit" in self.columns else "credit"
            for side, value in (("debit", debit), ("credit", credit)):
                if value < 0:
                    raise self.error(side, "debits and credits are written as positive amounts.")
            if debit and credit:
                raise self.error("credit", "give a debit or a credit, not both.")
            amount = credit - debit
        if amount == ZERO:
            raise self.error(field, "an amount is required.", AccountingErrorCode.REQUIRED)
        return amount


def parse_statement_csv(text: str, rule: CurrencyRule) -> list[StatementRow]:
    """The file's transactions, in file order. Columns are separated by commas, semicolons
    or tabs (whichever the header uses most); dates are ISO, amounts use a decimal point.
    Lines may end with LF, CR LF or CR."""
    text = text.lstrip("\ufeff")
    first_line = next(io.StringIO(text, newline=""), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=max(",;\t", key=first_line.count))
    try:
        # Each record with the number of its (last) line in the file.
        records = [(reader.line_num, cells) for cells in reader]
    except csv.Error as error:
        raise AccountingError(
            AccountingErrorCode.INVALID,
            f"Line {reader.line_num}: {error}.",
            ["csv", str(reader.line_num)],
        ) from None
    if not records or not any(name.strip() for name in records[0][1]):
        raise AccountingError(AccountingErrorCode.REQUIRED, "The file is empty.", ["csv"])
    header = records[0][1]
    columns = _columns(header)
    if "date" not in columns:
        raise AccountingError(
            AccountingErrorCode.REQUIRED,
            f"The file has no date column (one of: {', '.join(COLUMNS['date'])}).",
            ["csv"],
        )
    if not {"amount", "debit", "credit"} & columns.keys():
        raise AccountingError(
            AccountingErrorCode.REQUIRED,
            "The file has no amount column, nor debit and credit columns.",
            ["csv"],
        )
    rows: list[StatementRow] = []
    lines_of_id: dict[str, int] = {}
    for number, cells in records[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        line = _FileLine(number, cells, header, columns)
        date, amount = line.date(), line.amount(rule)
        # The description and the payment reference, once each when they repeat.
        label = " ".join(dict.fromkeys(filter(None, (line.text("label"), line.text("reference")))))
        transaction_id = line.limited(
            "transaction_id", line.text("transaction_id"), MAX_TRANSACTION_ID
        )
        if transaction_id in lines_of_id:
            raise line.error(
                "transaction_id",
                f"transaction {transaction_id!r} is on line {lines_of_id[transaction_id]} too.",
                AccountingErrorCode.UNIQUE,
            )
        if transaction_id:
            lines_of_id[transaction_id] = line.number
        rows.append(
            StatementRow(
                line=line.number,
                date=date,
                amount=amount,
                label=line.limited(
                    "label" if "label" in columns else "reference", label, MAX_LABEL
                ),
                partner_name=line.limited("partner", line.text("partner"), MAX_PARTNER_NAME)
                or None,
                transaction_id=transaction_id or None,
            )
        )
    if not rows:
        raise AccountingError(
            AccountingErrorCode.REQUIRED, "The file has no transactions.", ["csv"]
        )
    return rows


def import_keys(rows: Sequence[StatementRow]) -> list[str]:
    """Per row: its transaction id, or a digest of date, amount, label and how many rows
    before it in the file had the same three (two identical coffees the same day differ)."""
    seen: Counter[tuple[str, ...]] = Counter()
    keys = []
    for row in rows:
        if row.transaction_id:
            keys.append(f"id:{row.transaction_id}")
            continue
        identity = (row.date.isoformat(), str(row.amount), " ".join(row.label.lower().split()))
        seen[identity] += 1
        text = "|".join((*identity, str(seen[identity])))
        keys.append(f"sha256:{hashlib.sha256(text.encode()).hexdigest()}")
    return keys


#: ASCII capitals to small letters, and nothing else: what SQLite's lower() does.
ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _lowered_forms(name: str) -> set[str]:
    """What the database's lower() may make of a name that differs from `name` in case only:
    all small letters; or, where lower() folds ASCII letters alone (SQLite), the others as
    `name` writes them, in capitals, or capitalized by word ("ÉMILE" → "Émile")."""
    return {
        name.lower(),
        *(form.translate(ASCII_LOWER) for form in (name, name.upper(), name.title())),
    }


async def _partners_by_name(
    uow: UnitOfWork, company_id: int, names: Iterable[str]
) -> dict[str, int]:
    """Case-folded name → partner, for the names exactly one active partner bears, whatever
    the case of any letter: one query finds the partners whose name, lowered by the
    database, may be one of them; their names are then compared here, case-folded."""
    given = set(names)
    if not given:
        return {}
    wanted = {name.casefold() for name in given}
    found: dict[str, list[int]] = defaultdict(list)
    for name, partner_id in await uow.session.execute(
        select(Partner.name, Partner.id).where(
            Partner.company_id == company_id,
            Partner.active.is_(True),
            func.lower(Partner.name).in_(set().union(*map(_lowered_forms, given))),
        )
    ):
        if name.casefold() in wanted:
            found[name.casefold()].append(partner_id)
    return {name: ids[0] for name, ids in found.items() if len(ids) == 1}


def _text_input(field: str, value: str | None, limit: int) -> str | None:
    """`value` checked for its column of `limit` characters; None when empty."""
    if not value:
        return None
    problem = _unkeepable_text(value)
    if problem is None and len(value) > limit:
        problem = f"at most {limit} characters are kept."
    if problem:
        raise AccountingError(AccountingErrorCode.INVALID, problem, [field])
    return value


def _amount_input(field: str, value: Decimal | None, rule: CurrencyRule) -> Decimal | None:
    """`value` checked to be an amount the books keep, rounded by the currency."""
    if value is None:
        return None
    if not storable(value):
        raise AccountingError(
            AccountingErrorCode.INVALID,
            f"{value} is not an amount: amounts are finite and below {AMOUNT_LIMIT:f}.",
            [field],
        )
    return rule.round(value)


async def import_statement(
    uow: UnitOfWork,
    company_id: int,
    *,
    journal_id: int,
    csv_text: str,
    reference: str | None = None,
    date: dt.date | None = None,
    balance_start: Decimal | None = None,
    balance_end: Decimal | None = None,
) -> BankStatement:
    """A statement of the file's transactions not imported before into the journal. The
    date defaults to the last transaction's.

    Its ending balance is always its starting one plus its new lines, even when part of the
    file was imported before:
    - without a starting balance, it starts at the journal's previous statement's ending
      balance (0 for the first), and an ending balance given must be that plus the new lines;
    - with one, both given balances are the bank's, around the whole file: the ending one,
      when given, must be the starting one plus all the file's transactions. The statement
      ends there, and starts at that ending balance less its new lines.
    """
    reference = _text_input("reference", (reference or "").strip(), MAX_REFERENCE)
    journal = await ledger.get_money_journal(uow, company_id, journal_id, lock=True)
    currency = await company_currency(uow, company_id)
    rule = currency_rule(currency)
    bank_start = _amount_input("balance_start", balance_start, rule)
    bank_end = _amount_input("balance_end", balance_end, rule)
    rows = parse_statement_csv(csv_text, rule)
    keys = import_keys(rows)
    imported = set(
        await uow.session.scalars(
            select(BankStatementLine.import_key).where(
                BankStatementLine.journal_id == journal.id,
                BankStatementLine.import_key.in_(keys),
            )
        )
    )
    new = [(row, key) for row, key in zip(rows, keys, strict=True) if key not in imported]
    if not new:
        raise AccountingError(
            AccountingErrorCode.UNIQUE,
            f"Every transaction of the file is in journal {journal.code} already.",
            ["csv"],
        )
    lines_total = sum((row.amount for row, _ in new), ZERO)
    if bank_start is None:
        previous = await uow.session.scalar(
            select(BankStatement.balance_end)
            .where(BankStatement.journal_id == journal.id)
            .order_by(BankStatement.date.desc(), BankStatement.id.desc())
            .limit(1)
        )
        start = rule.round(Decimal(previous or 0))
        end = start + lines_total
        expected = f"the previous ending balance {start} plus the new transactions' {lines_total}"
    else:
        file_total = sum((row.amount for row in rows), ZERO)
        end = bank_start + file_total
        start = end - lines_total
        expected = f"the starting balance {bank_start} plus the file's transactions' {file_total}"
    if bank_end is not None and bank_end != end:
        raise AccountingError(
            AccountingErrorCode.INVALID,
            f"The ending balance {bank_end} is not {expected}, that is {end}.",
            ["balance_end"],
        )
    for field, what, amount in (
        ("balance_start", "starting balance", start),
        ("balance_end", "ending balance", end),
        ("csv", "transactions' total", lines_total),
    ):
        if not storable(amount):
            raise AccountingError(
                AccountingErrorCode.INVALID,
                f"The statement's {what} would be {amount}; amounts stay below {AMOUNT_LIMIT:f}.",
                [field],
            )
    partners = await _partners_by_name(
        uow, company_id, (row.partner_name for row, _ in new if row.partner_name)
    )
    statement_date = date or max(row.date for row in rows)
    year = statement_date.year
    statement = BankStatement(
        company_id=company_id,
        journal_id=journal.id,
        name=await next_sequence_number(
            uow,
            company_id,
            f"bank_statement.{journal.code}.{year}",
            prefix=f"{journal.code}/ST/{year}/",
        ),
        reference=reference,
        date=statement_date,
        currency_id=currency.id,
        balance_start=start,
        balance_end=end,
        lines_total=lines_total,
    )
    uow.session.add(statement)
    await uow.session.flush()
    uow.session.add_all(
        BankStatementLine(
            company_id=company_id,
            statement_id=statement.id,
            journal_id=journal.id,
            sequence=10 * (index + 1),
            date=row.date,
            amount=row.amount,
            currency_id=currency.id,
            label=row.label,
            partner_name=row.partner_name,
            partner_id=partners.get(row.partner_name.casefold()) if row.partner_name else None,
            transaction_id=row.transaction_id,
            import_key=key,
            state=StatementLineState.OPEN,
        )
        for index, (row, key) in enumerate(new)
    )
    await uow.session.flush()
    return statement


class MatchRank(enum.Enum):
    """Why an open invoice is a candidate for a statement line, strongest first."""

    REFERENCE = "reference"
    PARTNER_AMOUNT = "partner_amount"
    AMOUNT = "amount"


#: Ranks in strength order; the matching query numbers them from 1.
RANKS = tuple(MatchRank)
#: Candidates kept per line, strongest first.
MAX_CANDIDATES = 5


@dataclass(frozen=True)
class MatchCandidate:
    """An open invoice or bill a statement line may pay, its partner, and how much of it is
    open (signed like its receivable or payable balance, in the company's currency)."""

    line_id: int
    invoice_id: int
    partner_id: int | None
    rank: MatchRank
    amount_residual: Decimal


class Reader(Protocol):
    """What the matching query needs of a session: the Unit of Work's, or a request's."""

    async def execute(self, statement: Executable) -> Any: ...


def _mentions(text: ColumnElement[str], value: Any) -> ColumnElement[bool]:
    """`text` (lower-cased) contains `value` of three characters or more, taken literally."""
    literal = func.replace(
        func.replace(func.replace(func.lower(value), "\\", "\\\\"), "%", "\\%"),
        "_",
        "\\_",
        type_=String,
    )
    return and_(func.length(value) >= 3, text.like("%" + literal + "%", escape="\\"))


async def match_candidates(
    reader: Reader, company_id: int, line_ids: Sequence[int]
) -> dict[int, list[MatchCandidate]]:
    """The candidates of each open line among `line_ids`, strongest first: one statement
    for all the lines."""
    line = BankStatementLine
    open_items = (
        select(
            JournalLine.entry_id,
            func.sum(JournalLine.amount_residual).label("residual"),
            func.min(JournalLine.date_maturity).label("due"),
        )
        .where(
            JournalLine.company_id == company_id,
            JournalLine.kind == LineKind.PAYMENT_TERM,
            JournalLine.amount_residual != 0,
        )
        .group_by(JournalLine.entry_id)
        .subquery()
    )
    label = func.lower(line.label, type_=String)
    equal = func.round(open_items.c.residual - line.amount, 6) == 0
    rank = case(
        (or_(_mentions(label, JournalEntry.number), _mentions(label, JournalEntry.ref)), 1),
        (and_(equal, JournalEntry.partner_id == line.partner_id), 2),
        (equal, 3),
    )
    ranked = (
        select(
            line.id.label("line_id"),
            JournalEntry.id.label("invoice_id"),
            JournalEntry.partner_id,
            open_items.c.residual,
            rank.label("rank"),
            func.row_number()
            .over(partition_by=line.id, order_by=(rank, open_items.c.due, JournalEntry.id))
            .label("position"),
        )
        .join(open_items, open_items.c.residual * line.amount > 0)
        .join(JournalEntry, JournalEntry.id == open_items.c.entry_id)
        .where(
            line.id.in_(line_ids),
            line.company_id == company_id,
            line.state == StatementLineState.OPEN,
            JournalEntry.state == EntryState.POSTED,
            JournalEntry.move_type.in_(INVOICE_TYPES),
            rank.is_not(None),
        )
        .subquery()
    )
    rows = await reader.execute(
        select(
            ranked.c.line_id,
            ranked.c.invoice_id,
            ranked.c.partner_id,
            ranked.c.rank,
            ranked.c.residual,
        )
        .where(ranked.c.position <= MAX_CANDIDATES)
        .order_by(ranked.c.line_id, ranked.c.position)
    )
    found: dict[int, list[MatchCandidate]] = defaultdict(list)
    for line_id, invoice_id, partner_id, rank, residual in rows:
        found[line_id].append(
            MatchCandidate(
                line_id=line_id,
                invoice_id=invoice_id,
                partner_id=partner_id,
                rank=RANKS[rank - 1],
                amount_residual=Decimal(residual).quantize(Decimal("0.000001")),
            )
        )
    return found


async def get_statement(uow: UnitOfWork, company_id: int, statement_id: int) -> BankStatement:
    statement = await get_owned(uow.session, BankStatement, statement_id, company_id)
    if statement is None:
        raise AccountingError(AccountingErrorCode.NOT_FOUND, "No such bank statement.", ["id"])
    return statement


async def _locked_line(uow: UnitOfWork, company_id: int, line_id: int) -> BankStatementLine:
    line = await get_owned(uow.session, BankStatementLine, line_id, company_id, lock=True)
    if line is None:
        raise AccountingError(AccountingErrorCode.NOT_FOUND, "No such statement line.", ["id"])
    return line


async def reconcile_statement_line(
    uow: UnitOfWork,
    company_id: int,
    line_id: int,
    *,
    invoice_ids: Sequence[int] = (),
    partner_id: int | None = None,
    account_id: int | None = None,
) -> BankStatementLine:
    """Record an open line: as a payment of the invoices (or on account of the partner),
    or against a counterpart account. The line is locked first, so of concurrent attempts
    exactly one records it."""
    line = await _locked_line(uow, company_id, line_id)
    line.state = LINE_WORKFLOW.check(line.state, StatementLineState.RECONCILED)
    if account_id is None:
        await _record_payment(uow, company_id, line, invoice_ids, partner_id)
    elif invoice_ids or partner_id is not None:
        raise AccountingError(
            AccountingErrorCode.INVALID,
            "A line is recorded against invoices or a partner, or against an account; not both.",
            ["account_id"],
        )
    else:
        await _record_counterpart(uow, company_id, line, account_id)
    await uow.session.flush()
    return line


async def _record_payment(
    uow: UnitOfWork,
    company_id: int,
    line: BankStatementLine,
    invoice_ids: Sequence[int],
    partner_id: int | None,
) -> None:
    """A payment of the line's amount through its journal, matched with the invoices; the
    partner is the given one, else the invoices', else the line's. The line keeps the
    partner its file names; it takes the payment's only when it has none."""
    if partner_id is None and invoice_ids:
        owners = set(
            await uow.session.scalars(
                select(JournalEntry.partner_id).where(
                    JournalEntry.id.in_(invoice_ids), JournalEntry.company_id == company_id
                )
            )
        )
        if not owners:
            raise AccountingError(
                AccountingErrorCode.NOT_FOUND, "No such invoice.", ["invoice_ids"]
            )
        if len(owners) > 1:
            raise AccountingError(
                AccountingErrorCode.INVALID,
                "One line pays invoices of one partner.",
                ["invoice_ids"],
            )
        partner_id = owners.pop()
    partner_id = partner_id if partner_id is not None else line.partner_id
    if partner_id is None:
        raise AccountingError(
            AccountingErrorCode.REQUIRED,
            "Choose the invoices this line pays, its partner, or a counterpart account.",
            ["partner_id"],
        )
    payment = await register_payment(
        uow,
        company_id,
        payment_type=PaymentType.INBOUND if line.amount > 0 else PaymentType.OUTBOUND,
        partner_id=partner_id,
        amount=abs(line.amount),
        journal_id=line.journal_id,
        date=line.date,
        invoice_ids=invoice_ids,
        memo=line.label[:200] or None,
    )
    if line.partner_id is None:
        line.partner_id = payment.partner_id
    line.payment_id, line.entry_id = payment.id, payment.entry_id


async def _record_counterpart(
    uow: UnitOfWork, company_id: int, line: BankStatementLine, account_id: int
) -> None:
    """A posted entry in the line's journal: its bank account against `account_id`."""
    journal = await uow.session.get(Journal, line.journal_id)
    assert journal is not None and journal.default_account_id is not None
    account = await get_owned(uow.session, Account, account_id, company_id)
    if account is None or not account.active:
        raise AccountingError(AccountingErrorCode.NOT_FOUND, "No such account.", ["account_id"])
    if account.reconcile or account.id == journal.default_account_id:
        raise AccountingError(
            AccountingErrorCode.INVALID,
            f"Account {account.code} is the bank's own or a partner's; pay invoices instead.",
            ["account_id"],
        )
    amount = abs(line.amount)
    money_in = line.amount > 0
    label = line.label[:200] or None
    entry = await ledger.create_entry(
        uow,
        company_id,
        journal_id=journal.id,
        date=line.date,
        ref=label,
        partner_id=line.partner_id,
        lines=[
            {
                "account_id": journal.default_account_id,
                "debit": amount if money_in else ZERO,
                "credit": ZERO if money_in else amount,
                "label": label,
            },
            {
                "account_id": account.id,
                "debit": ZERO if money_in else amount,
                "credit": amount if money_in else ZERO,
                "label": label,
            },
        ],
    )
    await ledger.post_entry(uow, company_id, entry.id)
    line.entry_id = entry.id


async def unreconcile_statement_line(
    uow: UnitOfWork, company_id: int, line_id: int
) -> BankStatementLine:
    """Undo a reconciled line: its payment is cancelled (the invoices reopen, its entry is
    reversed), or its entry reversed; the line is open again. An entry reversed already (by
    hand, in the journal) cannot be reversed again: the line stays reconciled."""
    line = await _locked_line(uow, company_id, line_id)
    line.state = LINE_WORKFLOW.check(line.state, StatementLineState.OPEN)
    assert line.entry_id is not None
    if line.payment_id is not None:
        await cancel_payment(uow, company_id, line.payment_id)
    else:
        await ledger.reverse_entry(uow, company_id, line.entry_id)
    line.payment_id = line.entry_id = None
    await uow.session.flush()
    return line


@dataclass(frozen=True)
class AutoReconciliation:
    """A statement after automatic reconciliation, and how many of its lines it recorded."""

    statement: BankStatement
    matched: int


def _automatic_choice(
    line: BankStatementLine, candidates: Sequence[MatchCandidate]
) -> MatchCandidate | None:
    """The strongest candidate when no other ranks as high, it is named by the line's label
    or has the line's amount and partner, and its partner is the one the file names (if it
    names one): an equal amount alone may be anyone's money."""
    if not candidates:
        return None
    best = candidates[0]
    tied = [candidate for candidate in candidates if candidate.rank is best.rank]
    if len(tied) > 1 or best.rank is MatchRank.AMOUNT:
        return None
    if line.partner_id is not None and best.partner_id != line.partner_id:
        return None
    return best


async def reconcile_statement_auto(
    uow: UnitOfWork, company_id: int, statement_id: int
) -> AutoReconciliation:
    """Pay, for every open line, its one strongest candidate, when it has one that may be
    paid automatically; each invoice is paid by one line per run at most, the other lines
    are left for a person to choose."""
    statement = await get_statement(uow, company_id, statement_id)
    lines = list(
        await uow.session.scalars(
            select(BankStatementLine)
            .where(
                BankStatementLine.statement_id == statement.id,
                BankStatementLine.state == StatementLineState.OPEN,
            )
            .order_by(BankStatementLine.id)
            .with_for_update()
        )
    )
    candidates = await match_candidates(uow.session, company_id, [line.id for line in lines])
    paid: set[int] = set()
    for line in lines:
        chosen = _automatic_choice(line, candidates.get(line.id, []))
        if chosen is None or chosen.invoice_id in paid:
            continue
        paid.add(chosen.invoice_id)
        await reconcile_statement_line(uow, company_id, line.id, invoice_ids=[chosen.invoice_id])
    return AutoReconciliation(statement=statement, matched=len(paid))
