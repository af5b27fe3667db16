"""GraphQL for products, categories and taxes."""
