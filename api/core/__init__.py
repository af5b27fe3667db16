"""GraphQL for companies, currencies and units of measure."""
