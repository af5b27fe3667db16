"""A storefront built through the back office's API: a pricelist, a channel and its token."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient


async def create_pricelist(gql: GraphQLClient, name: str, items: list[dict[str, Any]]) -> str:
    data = await gql(
        "mutation($input: PricelistInput!) { pricelistCreate(input: $input) { pricelist { id } errors { field code message } } }",
        {"input": {"name": name, "items": items}},
    )
    assert data["pricelistCreate"]["errors"] == [], data
    return data["pricelistCreate"]["pricelist"]["id"]


async def create_channel(gql: GraphQLClient, code: str, **fields: Any) -> str:
    data = await gql(
        "mutation($input: ChannelInput!) { channelCreate(input: $input) { channel { id } errors { field code message } } }",
        {"input": {"code": code, "name": fields.pop("name", code.title()), **fields}},
    )
    assert data["channelCreate"]["errors"] == [], data
    return data["channelCreate"]["channel"]["id"]


async def storefront_token(gql: GraphQLClient, channel_id: str) -> str:
    """A new publishable token of the channel."""
    data = await gql(
        'mutation($c: ID!) { storefrontTokenCreate(input: {channelId: $c, name: "Web"}) { storefrontToken { token } errors { code message } } }',
        {"c": channel_id},
    )
    assert data["storefrontTokenCreate"]["errors"] == [], data
    return data["storefrontTokenCreate"]["storefrontToken"]["token"]


CART_FIELDS = """token state email discountPercent couponCode
    items { product { sku } quantity unitPrice { amount } total { amount } }
    deliveryMethod { name } deliveryPrice { amount }
    subtotal { amount } tax { amount } total { amount currency }
    order { name state total { amount } }"""


async def delivery_method(gql: GraphQLClient, channel_id: str, **fields: Any) -> str:
    """A delivery method of the channel, its line of a new SHIP service."""
    ship = await gql(
        'mutation { productCreate(input: {sku: "SHIP", name: "Shipping", type: SERVICE, salePrice: "0"}) { product { id } } }'
    )
    data = await gql(
        "mutation($input: DeliveryMethodInput!) { deliveryMethodCreate(input: $input) { deliveryMethod { id } errors { field code message } } }",
        {
            "input": {
                "channelId": channel_id,
                "productId": ship["productCreate"]["product"]["id"],
                **fields,
            }
        },
    )
    assert data["deliveryMethodCreate"]["errors"] == [], data
    return data["deliveryMethodCreate"]["deliveryMethod"]["id"]
