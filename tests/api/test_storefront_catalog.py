"""The public catalog over HTTP with a storefront token: published products only, priced in
the channel's currency and pricelist with taxes as it shows them, live availability, search,
sorting and cursors, in a fixed number of statements."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from domain.catalog import services as catalog
from domain.catalog.models import ProductType, TaxUse
from domain.core.uow import UnitOfWork
from domain.partners import services as partners
from domain.sales import services as sales
from tests.api.test_identity import post
from tests.conftest import Db, GraphQLClient, StatementCounter, bearer, is_postgres
from tests.factories import create_product, create_tax
from tests.inventory_factories import receive
from tests.storefront_factories import create_channel, create_pricelist, storefront_token

PAGE = """query($first: Int, $after: String, $filter: StorefrontProductFilterInput, $sort: StorefrontProductSortInput) {
  storefrontProducts(first: $first, after: $after, filter: $filter, sortBy: $sort) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { sku name price { amount currency } priceExcludingTax { amount }
                   priceIncludingTax { amount } inStock availableQuantity category { name }
                   images variants { sku } } } } }"""


async def shop(http: httpx.AsyncClient, token: str, query: str, **variables: Any) -> dict[str, Any]:
    body = (await post(http, query, variables, **bearer(token))).json()
    assert not body.get("errors"), body
    return body["data"]


async def furnished(gql: GraphQLClient, **channel: Any) -> str:
    """Three published products and one hidden, a 21 % tax, a pricelist giving the desk a
    quantity break and the chair 10 % off, stock of 3 desks; the token of a channel."""
    vat = await create_tax(gql, "VAT 21%", "21")
    desk = await create_product(
        gql,
        "DESK",
        "100.00",
        name="Oak desk",
        type="STORABLE",
        published=True,
        saleTaxIds=[vat],
        description="A solid oak writing desk",
    )
    chair = await create_product(
        gql, "CHAIR", "50.00", name="Office chairs", published=True, saleTaxIds=[vat]
    )
    await create_product(gql, "LAMP", "20.00", name="Desk lamp", published=True)
    await create_product(gql, "SECRET", "1.00", name="Unreleased desk")
    await receive(gql, desk, "3")
    pricelist = await create_pricelist(
        gql,
        "Web",
        [
            {"productId": desk, "fixedPrice": "90.00", "minQuantity": "0"},
            {"productId": desk, "fixedPrice": "80.00", "minQuantity": "10"},
            {"productId": chair, "percent": "10"},
        ],
    )
    channel_id = await create_channel(gql, "WEB", pricelistId=pricelist, **channel)
    return await storefront_token(gql, channel_id)


def nodes(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in data["storefrontProducts"]["edges"]]


async def test_the_catalog_shows_published_products_priced_by_the_channel(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    token = await furnished(gql)
    data = await shop(http, token, PAGE)
    assert data["storefrontProducts"]["totalCount"] == 3
    assert [
        (
            n["sku"],
            n["price"]["amount"],
            n["priceExcludingTax"]["amount"],
            n["inStock"],
            n["availableQuantity"],
        )
        for n in nodes(data)
    ] == [
        ("LAMP", "20.00", "20.00", True, "20"),
        ("DESK", "108.90", "90.00", True, "3"),
        ("CHAIR", "54.45", "45.00", True, "20"),
    ]
    assert {n["price"]["currency"] for n in nodes(data)} == {"EUR"}


async def test_a_channel_showing_prices_without_taxes(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    token = await furnished(gql, taxDisplay="EXCLUDED")
    data = await shop(http, token, PAGE, filter={"search": "desk"})
    assert [
        (n["sku"], n["price"]["amount"], n["priceIncludingTax"]["amount"]) for n in nodes(data)
    ] == [
        ("LAMP", "20.00", "20.00"),
        ("DESK", "90.00", "108.90"),
    ]
    channel = await shop(http, token, "{ storefrontChannel { name currency taxDisplay } }")
    assert channel["storefrontChannel"] == {
        "name": "Web",
        "currency": "EUR",
        "taxDisplay": "EXCLUDED",
    }


async def test_search_finds_words_in_name_description_and_sku_by_prefix(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    token = await furnished(gql)
    found = {}
    for text in ("chair", "oak writing", "DESK", "lamp desk", "sofa", "desk; DROP TABLE"):
        data = await shop(http, token, PAGE, filter={"search": text})
        found[text] = [n["sku"] for n in nodes(data)]
    assert found == {
        "chair": ["CHAIR"],
        "oak writing": ["DESK"],
        "DESK": ["LAMP", "DESK"],
        "lamp desk": ["LAMP"],
        "sofa": [],
        "desk; DROP TABLE": [],
    }


async def test_sorting_and_cursor_pagination(gql: GraphQLClient, http: httpx.AsyncClient) -> None:
    token = await furnished(gql)
    sort = {"field": "PRICE", "direction": "DESC"}
    first = await shop(http, token, PAGE, first=2, sort=sort)
    assert [n["sku"] for n in nodes(first)] == ["DESK", "CHAIR"]
    assert first["storefrontProducts"]["pageInfo"]["hasNextPage"] is True
    after = first["storefrontProducts"]["pageInfo"]["endCursor"]
    second = await shop(http, token, PAGE, first=2, after=after, sort=sort)
    assert [n["sku"] for n in nodes(second)] == ["LAMP"]
    assert second["storefrontProducts"]["pageInfo"]["hasNextPage"] is False


async def test_availability_is_read_live_and_capped(
    gql: GraphQLClient, http: httpx.AsyncClient, db: Db
) -> None:
    token = await furnished(gql)
    desk = (await gql('{ productBySku(sku: "DESK") { id } }'))["productBySku"]["id"]
    await receive(gql, desk, "40")
    data = await shop(http, token, PAGE, filter={"search": "oak"})
    assert nodes(data)[0]["availableQuantity"] == "20"

    async def sell_everything(uow: UnitOfWork) -> None:
        customer = await partners.create_partner(uow, db.company_id, {"name": "Buyer"})
        product = await uow.session.scalar(catalog_product("DESK"))
        order = await sales.create_sale_order(
            uow,
            db.company_id,
            {"partner_id": customer.id},
            [{"product_id": product, "quantity": Decimal(43)}],
        )
        await sales.confirm_sale_order(uow, db.company_id, order.id)

    await db.run(sell_everything)
    data = await shop(http, token, PAGE, filter={"search": "oak"})
    assert (nodes(data)[0]["inStock"], nodes(data)[0]["availableQuantity"]) == (False, "0")


def catalog_product(sku: str) -> Any:
    from sqlalchemy import select

    from domain.catalog.models import Product

    return select(Product.id).where(Product.sku == sku)


async def test_back_office_orders_price_from_a_pricelist_with_quantity_breaks(
    gql: GraphQLClient,
) -> None:
    await furnished(gql)
    pricelist = (
        await gql(
            "{ pricelists { edges { node { id name items { minQuantity price { amount } percent } } } } }"
        )
    )["pricelists"]["edges"][0]["node"]
    assert [
        (
            Decimal(i["minQuantity"]),
            (i["price"] or {}).get("amount"),
            i["percent"] and Decimal(i["percent"]),
        )
        for i in pricelist["items"]
    ] == [(0, "90.00", None), (10, "80.00", None), (0, None, 10)]
    desk = (await gql('{ productBySku(sku: "DESK") { id } }'))["productBySku"]["id"]
    customer = (
        await gql(
            'mutation { partnerCreate(input: {name: "Retail", isCustomer: true}) { partner { id } } }'
        )
    )["partnerCreate"]["partner"]["id"]
    data = await gql(
        """mutation($input: SaleOrderCreateInput!) { saleOrderCreate(input: $input) {
            saleOrder { lines { quantity priceUnit { amount } } } errors { field code message } } }""",
        {
            "input": {
                "partnerId": customer,
                "pricelistId": pricelist["id"],
                "lines": [
                    {"productId": desk, "quantity": "2"},
                    {"productId": desk, "quantity": "12"},
                ],
            }
        },
    )
    assert data["saleOrderCreate"]["errors"] == []
    assert [
        line["priceUnit"]["amount"] for line in data["saleOrderCreate"]["saleOrder"]["lines"]
    ] == ["90.00", "80.00"]


async def test_the_catalog_page_costs_a_fixed_number_of_statements(
    gql: GraphQLClient, http: httpx.AsyncClient, db: Db, statements: StatementCounter
) -> None:
    token = await furnished(gql)
    counts = []
    for size in (3, 24):

        async def more(uow: UnitOfWork, size: int = size) -> None:
            tax = await uow.session.scalar(select_tax())
            for n in range(size - 3 if size == 24 else 0):
                await catalog.create_product(
                    uow,
                    db.company_id,
                    {
                        "sku": f"P{n:03}",
                        "name": f"Product {n}",
                        "list_price": Decimal(n + 1),
                        "type": ProductType.STORABLE if n % 2 else ProductType.CONSUMABLE,
                        "published": True,
                        "sale_tax_ids": [tax],
                    },
                )

        await db.run(more)
        statements.count = 0
        data = await shop(http, token, PAGE, first=24)
        counts.append(statements.count)
        assert len(nodes(data)) == size
    # Token, page, count, channel, warehouses, pricelist, taxes, quants, moves, variants
    # (and on SQLite the BEGIN of the token's and the page's sessions).
    assert counts == ([10, 10] if is_postgres() else [12, 12])


def select_tax() -> Any:
    from sqlalchemy import select

    from domain.catalog.models import Tax

    return select(Tax.id).where(Tax.type_tax_use == TaxUse.SALE).limit(1)


VARIANTS = """query($sku: String!) { storefrontProduct(sku: $sku) { sku images variantAttributes { name value }
    variants { sku price { amount } inStock availableQuantity images variantAttributes { name value } } } }"""


async def test_variants_come_with_their_product_with_their_own_price_and_stock(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    token = await furnished(gql)
    shirt = await create_product(
        gql, "TEE", "15.00", name="Tee", published=True, imageUrls=["https://img.example/tee.jpg"]
    )
    small = await create_product(
        gql,
        "TEE-S",
        "15.00",
        name="Tee S",
        type="STORABLE",
        published=True,
        variantOfId=shirt,
        attributes=[{"name": "size", "value": "S"}, {"name": "colour", "value": "red"}],
    )
    await create_product(
        gql,
        "TEE-XL",
        "18.00",
        name="Tee XL",
        type="STORABLE",
        published=True,
        variantOfId=shirt,
        attributes=[{"name": "size", "value": "XL"}],
    )
    await create_product(gql, "TEE-M", "15.00", name="Tee M", variantOfId=shirt)  # unpublished
    await receive(gql, small, "4")
    listed = await shop(http, token, PAGE, filter={"search": "tee"})
    assert [(n["sku"], n["images"], n["variants"]) for n in nodes(listed)] == [
        ("TEE", ["https://img.example/tee.jpg"], [{"sku": "TEE-S"}, {"sku": "TEE-XL"}])
    ]
    data = await shop(http, token, VARIANTS, sku="TEE")
    assert data["storefrontProduct"]["variants"] == [
        {
            "sku": "TEE-S",
            "price": {"amount": "15.00"},
            "inStock": True,
            "availableQuantity": "4",
            "images": [],
            "variantAttributes": [
                {"name": "size", "value": "S"},
                {"name": "colour", "value": "red"},
            ],
        },
        {
            "sku": "TEE-XL",
            "price": {"amount": "18.00"},
            "inStock": False,
            "availableQuantity": "0",
            "images": [],
            "variantAttributes": [{"name": "size", "value": "XL"}],
        },
    ]
    variant = await shop(http, token, VARIANTS, sku="TEE-S")
    assert variant["storefrontProduct"]["variantAttributes"][0] == {"name": "size", "value": "S"}
    nested = await gql(
        'mutation($p: ID!) { productCreate(input: {sku: "TEE-S-1", name: "x", variantOfId: $p}) { errors { field code } } }',
        {"p": small},
    )
    assert nested["productCreate"]["errors"] == [
        {"field": ["variantOfId"], "code": "INVALID_PARENT"}
    ]
    bad = await gql(
        'mutation { productCreate(input: {sku: "BAD", name: "x", imageUrls: ["javascript:alert(1)"]}) { errors { field code } } }'
    )
    assert bad["productCreate"]["errors"] == [{"field": ["imageUrls"], "code": "INVALID"}]
