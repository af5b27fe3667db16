"""Accounting's use cases and the permissions they and accounting's reads need."""

from __future__ import annotations

from domain.core.dispatcher import Permission

ACCOUNTING_READ = Permission("accounting.read", "Read the books: entries, invoices, reports.")
ACCOUNTING_WRITE = Permission(
    "accounting.write", "Draft invoices, bills, credit notes and entries; import statements."
)
ACCOUNTING_POST = Permission(
    "accounting.post", "Post and reverse entries and invoices; set the lock date."
)
ACCOUNTING_RECONCILE = Permission(
    "accounting.reconcile", "Register and cancel payments; reconcile and unreconcile."
)
