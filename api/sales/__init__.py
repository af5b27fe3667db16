"""GraphQL for quotations and sales orders."""
