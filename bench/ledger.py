"""A large posted ledger, written set-based in SQL, for the report benchmarks."""

from __future__ import annotations

import psycopg

from bench.seed import RAW_DSN, Catalog


def add_journal_lines(ids: Catalog, count: int) -> int:
    """Add `count` posted journal lines in 2026 (pairs: an open receivable debit, an income
    credit) for the bench customer; returns how many journal lines the ledger holds."""
    entries = count // 2
    with psycopg.connect(RAW_DSN) as connection, connection.transaction():
        accounts: dict[str, int] = dict(
            connection.execute(
                "SELECT role, id FROM account WHERE company_id = %s AND role IN"
                " ('receivable', 'income')",
                (ids.company_id,),
            ).fetchall()
        )
        journal = connection.execute(
            "SELECT id FROM journal WHERE company_id = %s AND code = 'MISC'", (ids.company_id,)
        ).fetchone()
        assert journal is not None and len(accounts) == 2, accounts
        connection.execute(
            """
            INSERT INTO journal_entry (company_id, journal_id, number, state, move_type, date,
                ref, partner_id, currency_id, amount_untaxed, amount_tax, amount_total,
                amount_residual, payment_state, created_at, updated_at)
            SELECT %(company)s, %(journal)s, 'BENCH/' || n, 'posted', 'entry',
                DATE '2026-01-01' + (n %% 365), 'bench', %(partner)s, 1, 0, 0, 0, 0, 'not_paid',
                now(), now()
            FROM generate_series(1, %(entries)s) AS n
            """,
            {
                "company": ids.company_id,
                "journal": journal[0],
                "partner": ids.customer_id,
                "entries": entries,
            },
        )
        connection.execute(
            """
            INSERT INTO journal_line (company_id, entry_id, sequence, account_id, partner_id,
                label, date, debit, credit, balance, currency_id, amount_currency, kind,
                amount_residual, reconciled)
            SELECT e.company_id, e.id, side.sequence, side.account_id, e.partner_id, 'bench',
                e.date, side.debit * amount, side.credit * amount,
                (side.debit - side.credit) * amount, 1, (side.debit - side.credit) * amount,
                'other', side.debit * amount, false
            FROM journal_entry e
            CROSS JOIN LATERAL (SELECT ((e.id %% 997) + 1)::numeric AS amount) a
            CROSS JOIN (VALUES (10, %(receivable)s, 1, 0), (20, %(income)s, 0, 1))
                AS side(sequence, account_id, debit, credit)
            WHERE e.ref = 'bench'
            """,
            {"receivable": accounts["receivable"], "income": accounts["income"]},
        )
        total = connection.execute(
            "SELECT count(*) FROM journal_line WHERE company_id = %s", (ids.company_id,)
        ).fetchone()
    connection.close()
    # Statistics on both tables written, as autovacuum would gather them: without those of
    # journal_entry the planner takes the posted entries just written for a few hundred.
    with psycopg.connect(RAW_DSN, autocommit=True) as connection:
        connection.execute("ANALYZE journal_entry, journal_line")
    assert total is not None
    return int(total[0])
