"""The accounting API: chart, journals, entries, invoices, payments and reports."""
