"""Products, categories and taxes."""
