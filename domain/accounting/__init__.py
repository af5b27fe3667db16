"""The ledger: chart of accounts, journals, entries, invoices and bills, payments, reports."""
