"""The storefront's permissions: what storefront tokens hold, and what back-office staff need
to run channels. Declared here rather than in `commands.py` because the token reader in
`services.py` grants them."""

from __future__ import annotations

from domain.core.dispatcher import Permission

STOREFRONT_BROWSE = Permission(
    "storefront.browse", "Read a channel's published catalog and one's own carts."
)
STOREFRONT_SHOP = Permission("storefront.shop", "Fill carts and check out in a channel.")
STOREFRONT_ACCOUNT = Permission(
    "storefront.account", "Read one's own orders, deliveries and invoices, signed in."
)
STOREFRONT_READ = Permission("storefront.read", "Read channels and their tokens.")
STOREFRONT_MANAGE = Permission(
    "storefront.manage", "Create and change channels; issue and revoke storefront tokens."
)
#: What every storefront token holds in its company.
TOKEN_PERMISSIONS = frozenset({STOREFRONT_BROWSE.name, STOREFRONT_SHOP.name})
