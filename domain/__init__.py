"""Business areas: models, services, events and errors, one package per area."""
