"""Quotations and sales orders."""
