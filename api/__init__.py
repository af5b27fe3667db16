"""The GraphQL API: types, inputs, payloads, dataloaders, and the ASGI app."""
