"""The chart of accounts, journals, payment terms and the lock date of each company.

Every company starts from one generic template; the services look accounts up by the role
the template gave them (`receivable`, `income`, ...), so a company may renumber or rename
them freely.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from domain.accounting.errors import AccountingError, AccountingErrorCode
from domain.accounting.models import (
    RECONCILABLE_TYPES,
    Account,
    AccountingSettings,
    AccountType,
    Journal,
    JournalType,
    PaymentTerm,
    PaymentTermLine,
)
from domain.core.uow import UnitOfWork

T = AccountType
#: The generic chart: (code, name, type, role).
CHART_TEMPLATE: tuple[tuple[str, str, AccountType, str], ...] = (
    ("1000", "Bank", T.ASSET_CASH, "bank"),
    ("1010", "Cash", T.ASSET_CASH, "cash"),
    ("1100", "Accounts Receivable", T.ASSET_RECEIVABLE, "receivable"),
    ("1200", "Stock Valuation", T.ASSET_CURRENT, "stock_valuation"),
    ("1300", "Tax Receivable", T.ASSET_CURRENT, "tax_receivable"),
    ("1400", "Stock Delivered Not Invoiced", T.ASSET_CURRENT, "stock_delivered_not_invoiced"),
    ("1900", "Suspense", T.ASSET_CURRENT, "suspense"),
    ("2000", "Accounts Payable", T.LIABILITY_PAYABLE, "payable"),
    ("2100", "Tax Payable", T.LIABILITY_CURRENT, "tax_payable"),
    ("2200", "Stock Received Not Billed", T.LIABILITY_CURRENT, "stock_received_not_billed"),
    ("3000", "Equity", T.EQUITY, "equity"),
    ("3900", "Opening Balance", T.EQUITY, "opening_balance"),
    ("4000", "Sales", T.INCOME, "income"),
    ("4900", "Exchange Gain", T.INCOME_OTHER, "exchange_gain"),
    ("5000", "Cost of Goods Sold", T.EXPENSE_DIRECT_COST, "cogs"),
    ("6000", "Expenses", T.EXPENSE, "expense"),
    ("6900", "Exchange Loss", T.EXPENSE, "exchange_loss"),
)
#: Journals every company starts with: (code, name, type, role of the default account).
JOURNAL_TEMPLATE: tuple[tuple[str, str, JournalType, str | None], ...] = (
    ("INV", "Customer Invoices", JournalType.SALE, "income"),
    ("BILL", "Vendor Bills", JournalType.PURCHASE, "expense"),
    ("BNK", "Bank", JournalType.BANK, "bank"),
    ("CSH", "Cash", JournalType.CASH, "cash"),
    ("MISC", "Miscellaneous Operations", JournalType.GENERAL, None),
    ("STJ", "Stock Journal", JournalType.STOCK, "stock_valuation"),
)
#: Payment terms: name → installments (percent, days); the last one takes the rest.
PAYMENT_TERMS: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = (
    ("Immediate Payment", (("100", 0),)),
    ("30 Days", (("100", 30),)),
    ("30% Now, Balance in 30 Days", (("30", 0), ("70", 30))),
)


async def install_chart(uow: UnitOfWork, company_id: int) -> None:
    """The template's accounts, journals and payment terms for a new company."""
    accounts = {}
    for code, name, account_type, role in CHART_TEMPLATE:
        account = Account(
            company_id=company_id,
            code=code,
            name=name,
            account_type=account_type,
            reconcile=account_type in RECONCILABLE_TYPES,
            role=role,
        )
        uow.session.add(account)
        accounts[role] = account
    await uow.session.flush()
    for code, name, journal_type, account_role in JOURNAL_TEMPLATE:
        uow.session.add(
            Journal(
                company_id=company_id,
                code=code,
                name=name,
                type=journal_type,
                default_account_id=accounts[account_role].id if account_role else None,
            )
        )
    for term_name, installments in PAYMENT_TERMS:
        term = PaymentTerm(company_id=company_id, name=term_name)
        uow.session.add(term)
        await uow.session.flush()
        for index, (percent, days) in enumerate(installments):
            uow.session.add(
                PaymentTermLine(
                    term_id=term.id, sequence=10 * (index + 1), percent=Decimal(percent), days=days
                )
            )
    uow.session.add(AccountingSettings(company_id=company_id))
    await uow.session.flush()


async def role_account(uow: UnitOfWork, company_id: int, role: str) -> Account:
    """The company's account playing `role` (`receivable`, `tax_payable`, ...)."""
    account = await uow.session.scalar(
        select(Account).where(Account.company_id == company_id, Account.role == role)
    )
    if account is None:
        raise AccountingError(
            AccountingErrorCode.NOT_FOUND, f"The company has no {role.replace('_', ' ')} account."
        )
    return account


async def journal_of_type(uow: UnitOfWork, company_id: int, journal_type: JournalType) -> Journal:
    """The company's first active journal of `journal_type`."""
    journal = await uow.session.scalar(
        select(Journal)
        .where(
            Journal.company_id == company_id,
            Journal.type == journal_type,
            Journal.active.is_(True),
        )
        .order_by(Journal.id)
        .limit(1)
    )
    if journal is None:
        raise AccountingError(
            AccountingErrorCode.NOT_FOUND, f"The company has no {journal_type.value} journal."
        )
    return journal


async def create_account(
    uow: UnitOfWork,
    company_id: int,
    *,
    code: str,
    name: str,
    account_type: AccountType,
    reconcile: bool | None = None,
) -> Account:
    """A new account in the company's chart; its code is unique in the company."""
    code, name = code.strip(), name.strip()
    if not code:
        raise AccountingError(AccountingErrorCode.REQUIRED, "An account needs a code.", ["code"])
    if not name:
        raise AccountingError(AccountingErrorCode.REQUIRED, "An account needs a name.", ["name"])
    if len(code) > 16:
        raise AccountingError(
            AccountingErrorCode.INVALID, "An account code has at most 16 characters.", ["code"]
        )
    if await uow.session.scalar(
        select(Account.id).where(Account.company_id == company_id, Account.code == code)
    ):
        raise AccountingError(
            AccountingErrorCode.UNIQUE, f"An account with code {code!r} exists.", ["code"]
        )
    account = Account(
        company_id=company_id,
        code=code,
        name=name,
        account_type=account_type,
        reconcile=account_type in RECONCILABLE_TYPES if reconcile is None else reconcile,
    )
    uow.session.add(account)
    await uow.session.flush()
    return account


async def create_journal(
    uow: UnitOfWork,
    company_id: int,
    *,
    code: str,
    name: str,
    journal_type: JournalType,
    default_account_id: int | None = None,
) -> Journal:
    """A new journal; bank and cash journals need the account their money sits on."""
    code, name = code.strip().upper(), name.strip()
    if not code or len(code) > 8 or "/" in code:
        raise AccountingError(
            AccountingErrorCode.INVALID,
            "A journal code has 1 to 8 characters and no slash.",
            ["code"],
        )
    if not name:
        raise AccountingError(AccountingErrorCode.REQUIRED, "A journal needs a name.", ["name"])
    if await uow.session.scalar(
        select(Journal.id).where(Journal.company_id == company_id, Journal.code == code)
    ):
        raise AccountingError(
            AccountingErrorCode.UNIQUE, f"A journal with code {code!r} exists.", ["code"]
        )
    if default_account_id is not None:
        account = await uow.session.scalar(
            select(Account).where(
                Account.id == default_account_id, Account.company_id == company_id
            )
        )
        if account is None:
            raise AccountingError(
                AccountingErrorCode.NOT_FOUND, "No such account.", ["default_account_id"]
            )
    elif journal_type in (JournalType.BANK, JournalType.CASH):
        raise AccountingError(
            AccountingErrorCode.REQUIRED,
            "A bank or cash journal needs its account.",
            ["default_account_id"],
        )
    journal = Journal(
        company_id=company_id,
        code=code,
        name=name,
        type=journal_type,
        default_account_id=default_account_id,
    )
    uow.session.add(journal)
    await uow.session.flush()
    return journal


async def settings_for(
    uow: UnitOfWork, company_id: int, *, lock: bool = False
) -> AccountingSettings:
    query = select(AccountingSettings).where(AccountingSettings.company_id == company_id)
    if lock:
        query = query.with_for_update()
    found = await uow.session.scalar(query)
    if found is None:
        found = AccountingSettings(company_id=company_id)
        uow.session.add(found)
        await uow.session.flush()
    return found


async def set_lock_date(
    uow: UnitOfWork, company_id: int, lock_date: dt.date | None
) -> AccountingSettings:
    """Refuse postings on or before `lock_date` (None lifts the lock)."""
    settings = await settings_for(uow, company_id, lock=True)
    settings.lock_date = lock_date
    await uow.session.flush()
    return settings
