"""Warehouses, locations, quants, moves, pickings and reservation."""
