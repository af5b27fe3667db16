"""Every list pages forwards and backwards under every sort without skipping or repeating a row.

The lists are found by introspecting the live schema: every root field returning a
connection, every value of its `sortBy` field enum in both directions, and every connection
on a record type (`Partner.orders`), reached through `node(id:)` for each parent. A list added
later is covered without anyone remembering to. The data has ties in the sort columns (same
names, prices, dates and states), so the cursors' tie-breaking is exercised.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import GraphQLObjectType, get_named_type

from api.access import rules_of
from api.schema import build_schema
from domain.core.settings import Settings
from domain.storefront.permissions import TOKEN_PERMISSIONS
from tests.conftest import GraphQLClient
from tests.factories import (
    bank_journal,
    create_order,
    create_partner,
    create_product,
    order_step,
    pay_invoices,
)
from tests.inventory_factories import receive
from tests.storefront_factories import create_channel, storefront_token

PAGE = 3
SCHEMA = build_schema(Settings())._schema


@dataclass(frozen=True)
class Listing:
    """One list to page through: a root field, or a connection field of a record type."""

    field: str
    sort_input: str | None
    sort_fields: list[str]
    parent_type: str | None = None  # for a record's connection, the record's type

    def query(self) -> str:
        sort_variable = f", $sort: {self.sort_input}" if self.sort_input else ""
        sort_argument = ", sortBy: $sort" if self.sort_input else ""
        page = (
            f"{self.field}(first: $first, after: $after, last: $last, before: $before"
            f"{sort_argument}) {{ totalCount"
            " pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor } }"
        )
        variables = f"$first: Int, $after: String, $last: Int, $before: String{sort_variable}"
        if self.parent_type is None:
            return f"query({variables}) {{ {page} }}"
        return (
            f"query($parent: ID!, {variables}) {{ node(id: $parent) {{"
            f" ... on {self.parent_type} {{ {page} }} }} }}"
        )

    def sorts(self) -> list[dict[str, str] | None]:
        if not self.sort_input:
            return [None]
        return [
            {"field": field, "direction": direction}
            for field in self.sort_fields
            for direction in ("ASC", "DESC")
        ]


def _listing(field: str, arguments: dict[str, Any], parent_type: str | None) -> Listing:
    sort = arguments.get("sortBy")
    if sort is None:
        return Listing(field, None, [], parent_type)
    sort_input = get_named_type(sort.type)
    fields = get_named_type(sort_input.fields["field"].type)  # type: ignore[attr-defined]
    return Listing(field, sort_input.name, list(fields.values), parent_type)


def root_listings() -> list[Listing]:
    assert SCHEMA.query_type is not None
    return [
        _listing(name, field.args, None)
        for name, field in SCHEMA.query_type.fields.items()
        if get_named_type(field.type).name.endswith("Connection")
    ]


def record_listings() -> list[tuple[str, Listing]]:
    """(root list of the parents, the parents' connection) for each record type's connection."""
    roots = {get_named_type(field.type).name: name for name, field in root_fields()}
    found = []
    for type_name, kind in SCHEMA.type_map.items():
        is_record = isinstance(kind, GraphQLObjectType) and any(
            interface.name == "Node" for interface in kind.interfaces
        )
        if not is_record or f"{type_name}Connection" not in roots:
            continue
        for name, field in kind.fields.items():  # type: ignore[attr-defined]
            if get_named_type(field.type).name.endswith("Connection"):
                found.append(
                    (roots[f"{type_name}Connection"], _listing(name, field.args, type_name))
                )
    return found


def root_fields() -> list[tuple[str, Any]]:
    assert SCHEMA.query_type is not None
    return list(SCHEMA.query_type.fields.items())


async def seed(gql: GraphQLClient) -> None:
    """Rows for every area's lists, with ties in each sort column."""
    partners = [await create_partner(gql, f"Tie {number % 4}") for number in range(8)]
    products = [
        await create_product(
            gql, f"SKU{number}", "10.00" if number % 2 else "20.00", name=f"Item {number % 3}"
        )
        for number in range(6)
    ]
    for product in products[:3]:
        await receive(gql, product, "5")
    orders = []
    for number in range(10):
        order = await create_order(
            gql,
            partners[number % 3],
            [{"productId": products[number % 2], "quantity": "1"}],
            dateOrder="2026-03-01T10:00:00+00:00" if number % 2 else "2026-03-02T10:00:00+00:00",
        )
        orders.append(order["id"])
    for order in orders[:6]:
        assert (await order_step(gql, "saleOrderConfirm", order))["errors"] == []
    invoice_ids = []
    for order in orders[:5]:
        created = await gql(
            """mutation($input: InvoiceFromOrdersInput!) { invoiceCreateFromOrders(input: $input) {
                invoice { id } errors { code } } }""",
            {"input": {"orderIds": [order], "date": "2026-03-10"}},
        )
        invoice = created["invoiceCreateFromOrders"]["invoice"]
        if invoice is not None:
            await gql(
                "mutation($id: ID!) { invoicePost(id: $id) { errors { code } } }",
                {"id": invoice["id"]},
            )
            invoice_ids.append(invoice["id"])
    for invoice in invoice_ids[:2]:
        await pay_invoices(gql, partners[0], "1.00", [invoice], "2026-03-20")
    journal = await bank_journal(gql)
    for number in range(4):
        await gql(
            """mutation($input: BankStatementImportInput!) { bankStatementImport(input: $input) {
                errors { code message } } }""",
            {
                "input": {
                    "journalId": journal,
                    "csv": f"date,amount,label,transaction id\n2026-03-0{1 + number % 2},5.00,Fee,T{number}\n",
                    "reference": f"Statement {number % 2}",
                }
            },
        )


async def page_through(
    gql: GraphQLClient, listing: Listing, variables: dict[str, Any]
) -> tuple[list[str], list[str], int]:
    """The cursors of every row read forwards, then backwards, and the list's total."""

    async def page(**arguments: Any) -> dict[str, Any]:
        data = await gql(listing.query(), {**variables, **arguments})
        return data[listing.field] if listing.parent_type is None else data["node"][listing.field]

    forwards: list[str] = []
    after = None
    while True:
        read = await page(first=PAGE, after=after)
        forwards += [edge["cursor"] for edge in read["edges"]]
        if not read["pageInfo"]["hasNextPage"]:
            break
        after = read["pageInfo"]["endCursor"]
        assert len(forwards) <= read["totalCount"], listing
    backwards: list[str] = []
    before = None
    while True:
        read = await page(last=PAGE, before=before)
        backwards = [edge["cursor"] for edge in read["edges"]] + backwards
        if not read["pageInfo"]["hasPreviousPage"]:
            break
        before = read["pageInfo"]["startCursor"]
        assert len(backwards) <= read["totalCount"], listing
    return forwards, backwards, read["totalCount"]


def assert_complete(
    listing: Listing, sort: Any, forwards: list[str], backwards: list[str], total: int
) -> None:
    where = (listing.parent_type, listing.field, sort)
    assert len(forwards) == total, where  # nothing skipped
    assert len(set(forwards)) == total, where  # nothing repeated
    assert backwards == forwards, where  # the same rows in the same order either way


class Signed(GraphQLClient):
    """A client whose every request carries `headers` (a storefront token)."""

    def __init__(self, gql: GraphQLClient, headers: dict[str, str]) -> None:
        super().__init__(gql.http)
        self.headers = headers

    async def raw(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        return await super().raw(query, variables, {**self.headers, **(headers or {})})


def read_by_storefronts(listing: Listing) -> bool:
    """Whether a root list is the storefront's: read with a channel's token."""
    assert SCHEMA.query_type is not None
    returned = get_named_type(SCHEMA.query_type.fields[listing.field].type).name
    permission = rules_of(SCHEMA).types.get(returned)
    return permission is not None and permission.name in TOKEN_PERMISSIONS


async def test_every_root_list_pages_both_ways_under_every_sort(gql: GraphQLClient) -> None:
    await seed(gql)
    token = await storefront_token(gql, await create_channel(gql, "WEB"))
    shop = Signed(gql, {"Authorization": f"Bearer {token}"})
    paged_rows = 0
    for listing in root_listings():
        reader = shop if read_by_storefronts(listing) else gql
        for sort in listing.sorts():
            variables = {"sort": sort} if sort else {}
            forwards, backwards, total = await page_through(reader, listing, variables)
            assert_complete(listing, sort, forwards, backwards, total)
            paged_rows += total
    # The seed's lists hold several pages each: the paging above was real.
    assert paged_rows > 50 * PAGE


async def test_every_record_list_pages_both_ways_under_every_sort(gql: GraphQLClient) -> None:
    await seed(gql)
    listings = record_listings()
    assert ("partners", "orders") in [(root, listing.field) for root, listing in listings]
    for root, listing in listings:
        parents = await gql(f"{{ {root}(first: 100) {{ edges {{ node {{ id }} }} }} }}")
        for edge in parents[root]["edges"]:
            for sort in listing.sorts():
                variables = {"parent": edge["node"]["id"], **({"sort": sort} if sort else {})}
                forwards, backwards, total = await page_through(gql, listing, variables)
                assert_complete(listing, sort, forwards, backwards, total)
