"""base_data

Revision ID: 0016
Revises: 0015

The data every installation needs before it can sell anything: the common currencies, and
units of measure with their categories. Rows that exist already (a database where the demo
or an earlier release installed them) are kept as they are.

Invoice lines record the unit their quantity counts in, so a quantity finer than the unit
counts is refused there as everywhere; lines written before have none.

Every company gets the Opening Balance equity account new companies start with (unless its
code 3900 is taken), against which the stock the books open with is valued.

The rows are written out here rather than taken from the application, so this revision
installs the same data whatever the code looks like when it runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (ISO code, English name, symbol, digits of the minor unit), as Babel gives them.
CURRENCIES = (
    ("EUR", "Euro", "€", 2),
    ("USD", "US Dollar", "$", 2),
    ("GBP", "British Pound", "£", 2),
    ("CHF", "Swiss Franc", "CHF", 2),
    ("JPY", "Japanese Yen", "¥", 0),
)
#: Category -> units (name, reference units per unit, rounding step); ratio 1 is the reference.
UNITS = {
    "Unit": (("Units", "1", "1"), ("Dozens", "12", "1"), ("Pairs", "2", "1")),
    "Weight": (("kg", "1", "0.001"), ("g", "0.001", "0.01"), ("t", "1000", "0.001")),
    "Time": (("Hours", "1", "0.01"), ("Days", "8", "0.01"), ("Minutes", "0.016666666667", "1")),
    "Length": (("m", "1", "0.001"), ("cm", "0.01", "0.1"), ("km", "1000", "0.001")),
    "Volume": (("L", "1", "0.001"), ("mL", "0.001", "1")),
}

currency = sa.table(
    "currency",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("symbol", sa.String),
    sa.column("digits", sa.Integer),
    sa.column("rounding", sa.Numeric(20, 6)),
    sa.column("active", sa.Boolean),
)
uom_category = sa.table("uom_category", sa.column("id", sa.Integer), sa.column("name", sa.String))
uom = sa.table(
    "uom",
    sa.column("id", sa.Integer),
    sa.column("category_id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("ratio", sa.Numeric(20, 10)),
    sa.column("rounding", sa.Numeric(20, 6)),
    sa.column("active", sa.Boolean),
)


account = sa.table(
    "account",
    sa.column("id", sa.Integer),
    sa.column("company_id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("account_type", sa.String),
    sa.column("reconcile", sa.Boolean),
    sa.column("role", sa.String),
    sa.column("active", sa.Boolean),
)
company = sa.table("company", sa.column("id", sa.Integer))


def upgrade() -> None:
    with op.batch_alter_table("invoice_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uom_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_invoice_line_uom_id_uom"), "uom", ["uom_id"], ["id"]
        )
    connection = op.get_bind()
    known = set(connection.scalars(sa.select(currency.c.code)))
    missing = [row for row in CURRENCIES if row[0] not in known]
    if missing:
        op.bulk_insert(
            currency,
            [
                {
                    "code": code,
                    "name": name,
                    "symbol": symbol,
                    "digits": digits,
                    "rounding": Decimal(1).scaleb(-digits),
                    "active": True,
                }
                for code, name, symbol, digits in missing
            ],
        )
    categories = dict(connection.execute(sa.select(uom_category.c.name, uom_category.c.id)).all())
    new_categories = [{"name": name} for name in UNITS if name not in categories]
    if new_categories:
        op.bulk_insert(uom_category, new_categories)
        categories = dict(
            connection.execute(sa.select(uom_category.c.name, uom_category.c.id)).all()
        )
    existing = set(connection.execute(sa.select(uom.c.category_id, uom.c.name)).all())
    new_units = [
        {
            "category_id": categories[category],
            "name": name,
            "ratio": Decimal(ratio),
            "rounding": Decimal(rounding),
            "active": True,
        }
        for category, units in UNITS.items()
        for name, ratio, rounding in units
        if (categories[category], name) not in existing
    ]
    if new_units:
        op.bulk_insert(uom, new_units)
    taken = sa.select(account.c.company_id).where(
        sa.or_(account.c.role == "opening_balance", account.c.code == "3900")
    )
    companies = connection.scalars(sa.select(company.c.id).where(company.c.id.not_in(taken)))
    opening = [
        {
            "company_id": company_id,
            "code": "3900",
            "name": "Opening Balance",
            "account_type": "equity",
            "reconcile": False,
            "role": "opening_balance",
            "active": True,
        }
        for company_id in companies
    ]
    if opening:
        op.bulk_insert(account, opening)


def downgrade() -> None:
    """The base data and the accounts stay: products, orders, companies and entries may
    refer to them."""
    with op.batch_alter_table("invoice_line", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_invoice_line_uom_id_uom"), type_="foreignkey")
        batch_op.drop_column("uom_id")
