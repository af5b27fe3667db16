"""GraphQL for warehouses, locations, stock, pickings and moves."""
