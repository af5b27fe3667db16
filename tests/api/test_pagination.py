"""Relay connections: keyset cursors forward and back, stable under inserts, sorted, filtered."""

from __future__ import annotations

from tests.conftest import GraphQLClient
from tests.factories import create_partner

PAGE = """query($first: Int, $after: String, $last: Int, $before: String, $sort: PartnerSortInput, $filter: PartnerFilterInput) {
    partners(first: $first, after: $after, last: $last, before: $before, sortBy: $sort, filter: $filter) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { name } }
    }
}"""


def names(connection: dict) -> list[str]:
    return [edge["node"]["name"] for edge in connection["edges"]]


async def test_paging_forward_and_back(gql: GraphQLClient) -> None:
    for number in range(1, 26):
        await create_partner(gql, f"Customer {number:02d}")
    first = (await gql(PAGE, {"first": 10}))["partners"]
    assert first["totalCount"] == 25
    assert names(first) == [f"Customer {n:02d}" for n in range(1, 11)]
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False

    second = (await gql(PAGE, {"first": 10, "after": first["pageInfo"]["endCursor"]}))["partners"]
    assert names(second) == [f"Customer {n:02d}" for n in range(11, 21)]
    third = (await gql(PAGE, {"first": 10, "after": second["pageInfo"]["endCursor"]}))["partners"]
    assert names(third) == [f"Customer {n:02d}" for n in range(21, 26)]
    assert third["pageInfo"]["hasNextPage"] is False

    back = (await gql(PAGE, {"last": 10, "before": third["pageInfo"]["startCursor"]}))["partners"]
    assert names(back) == [f"Customer {n:02d}" for n in range(11, 21)]
    assert back["pageInfo"]["hasPreviousPage"] is True
    tail = (await gql(PAGE, {"last": 3}))["partners"]
    assert names(tail) == ["Customer 23", "Customer 24", "Customer 25"]


async def test_cursors_stay_valid_when_rows_are_inserted_before_them(gql: GraphQLClient) -> None:
    for name in ("Bravo", "Charlie", "Delta", "Echo"):
        await create_partner(gql, name)
    page = (await gql(PAGE, {"first": 2}))["partners"]
    assert names(page) == ["Bravo", "Charlie"]
    await create_partner(gql, "Alpha")  # sorts before everything already seen
    following = (await gql(PAGE, {"first": 2, "after": page["pageInfo"]["endCursor"]}))["partners"]
    assert names(following) == ["Delta", "Echo"]


async def test_sorting_filtering_and_default_page_size(gql: GraphQLClient) -> None:
    for number in range(1, 24):
        await create_partner(gql, f"P{number:02d}", isVendor=number % 2 == 0)
    default = (await gql(PAGE))["partners"]
    assert len(default["edges"]) == 20
    newest = (await gql(PAGE, {"first": 2, "sort": {"field": "CREATED_AT", "direction": "DESC"}}))[
        "partners"
    ]
    assert names(newest) == ["P23", "P22"]
    vendors = (await gql(PAGE, {"filter": {"isVendor": True, "search": "p1"}}))["partners"]
    # Vendors are the even numbers; "p1" matches P10, P12, P14, P16, P18 case-insensitively.
    assert names(vendors) == ["P10", "P12", "P14", "P16", "P18"]
    assert vendors["totalCount"] == 5


async def test_bad_page_arguments_are_clear_errors(gql: GraphQLClient) -> None:
    too_many = await gql.raw(PAGE, {"first": 101})
    assert too_many["errors"][0]["message"] == "`first` must lie between 0 and 100; 101 was given."
    both = await gql.raw(PAGE, {"first": 1, "last": 1})
    assert both["errors"][0]["message"] == "Pass `first` or `last`, not both."
    bad_cursor = await gql.raw(PAGE, {"after": "not-a-cursor"})
    assert "not valid for this list" in bad_cursor["errors"][0]["message"]


async def test_a_bad_cursor_is_reported_while_sibling_fields_still_read(gql: GraphQLClient) -> None:
    for name in ("Azure Interior", "Deco Addict"):
        await create_partner(gql, name)
    # `balance` is still reading when the nested list's cursor is refused: the answer is the
    # cursor's error at its path, and the request's session closes cleanly behind it.
    body = await gql.raw(
        '{ partners { edges { node { name balance orders(after: "bad") { totalCount } } } } }'
    )
    assert body["data"] is None
    [error] = body["errors"]
    assert error["message"] == "The cursor 'bad' is not valid for this list."
    assert error["path"] == ["partners", "edges", 0, "node", "orders"]
    after = await gql("{ partners { totalCount } }")
    assert after["partners"]["totalCount"] == 2
