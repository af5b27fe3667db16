"""The README's tour runs as written: its GraphQL blocks, in order, on a fresh demo database.

Blocks say what they hand on in comment lines, which a reader follows the same way:
  `# keep $name = path`      the value at `path` in an answer of this block becomes the
                             variable `$name` of later operations; `path` walks fields and
                             list indexes by dots, `[field=value]` picks the list element
                             with that field (itself a path) equal to `value`;
  `# header Name: value`     later requests carry this header; `$name` in it is replaced by a
                             kept value (e.g. `# header Authorization: Bearer $token` after a
                             login block that keeps `$token`).
Each operation of a block is sent on its own, with the variables it declares.
"""

from __future__ import annotations

import re
from string import Template
from typing import Any

from graphql import OperationDefinitionNode, parse, print_ast

from domain.core.settings import ROOT
from tests.conftest import GraphQLClient

BLOCK = re.compile(r"^```graphql\n(.*?)^```", re.MULTILINE | re.DOTALL)
KEEP = re.compile(r"^# keep \$(\w+) = (.+)$", re.MULTILINE)
HEADER = re.compile(r"^# header ([\w-]+): (.+)$", re.MULTILINE)
STEP = re.compile(r"(\w+)(?:\[([\w.]+)=([^\]]*)\])?")


def readme_blocks() -> list[str]:
    return BLOCK.findall((ROOT / "README.md").read_text())


def walk(value: Any, path: str) -> Any:
    """The value at `path` (see the module's docstring) in an answer."""
    for name, field, wanted in STEP.findall(path):
        value = value[int(name)] if isinstance(value, list) else value[name]
        if field:
            [value] = [item for item in value if str(walk(item, field)) == wanted]
    return value


def payload_errors(value: Any) -> list[Any]:
    """Every non-empty `errors` list of the mutation payloads in an answer."""
    if isinstance(value, list):
        return [error for item in value for error in payload_errors(item)]
    if not isinstance(value, dict):
        return []
    return [
        *(value.get("errors") or []),
        *(
            error
            for key, item in value.items()
            if key != "errors"
            for error in payload_errors(item)
        ),
    ]


async def run_tour(gql: GraphQLClient) -> dict[str, Any]:
    """Run every block; the answers by root field (a later one with the same name wins)."""
    kept: dict[str, Any] = {}
    headers: dict[str, str] = {}
    answers: dict[str, Any] = {}
    for block in readme_blocks():
        for operation in parse(block).definitions:
            assert isinstance(operation, OperationDefinitionNode)
            variables = {
                definition.variable.name.value: kept[definition.variable.name.value]
                for definition in operation.variable_definitions or ()
            }
            data = await gql(print_ast(operation), variables, headers)
            assert payload_errors(data) == [], (print_ast(operation), data)
            answers.update(data)
            for name, path in KEEP.findall(block):
                if STEP.match(path).group(1) in data:  # type: ignore[union-attr]
                    kept[name] = walk(data, path)
        for name, value in HEADER.findall(block):
            headers[name] = Template(value).substitute(kept)
    return answers


async def test_the_readme_tour_runs_on_the_demo_data(demo_gql: GraphQLClient) -> None:
    answers = await run_tour(demo_gql)

    # 3 × 400.00 less 10% = 1,080.00; VAT 21% = 226.80; total 1,306.80.
    order = answers["saleOrderCreate"]["saleOrder"]
    assert (order["amountUntaxed"], order["amountTax"], order["amountTotal"]) == (
        {"amount": "1080.00", "currency": "EUR"},
        {"amount": "226.80"},
        {"amount": "1306.80"},
    )
    assert answers["pickingValidate"]["picking"]["state"] == "DONE"
    posted = answers["invoicePost"]["invoice"]
    assert (posted["number"], posted["amountResidual"]) == ("INV/2026/00001", {"amount": "1306.80"})
    # 306.80 in cash, then the statement's 1,000.00 matched for sure; the fee against 6000.
    assert answers["bankStatementImport"]["bankStatement"]["balanceEnd"] == {"amount": "987.50"}
    assert answers["bankStatementReconcileAuto"]["matchedCount"] == 1
    assert answers["bankStatementLineReconcile"]["bankStatementLine"]["state"] == "RECONCILED"
    invoice = answers["node"]
    assert (invoice["paymentState"], invoice["amountResidual"]) == ("PAID", {"amount": "0.00"})
    assert sorted((p["journal"]["code"], p["amount"]["amount"]) for p in invoice["payments"]) == [
        ("BNK", "1000.00"),
        ("CSH", "306.80"),
    ]

    # The first quarter of 2026 holds the tour's entries only.
    profit = answers["profitAndLoss"]
    assert (profit["income"]["total"], profit["expenses"]["total"]) == ("1080.00", "12.50")
    assert (profit["grossProfit"], profit["netProfit"]) == ("1080.00", "1067.50")
    balance = answers["balanceSheet"]
    assert (balance["assets"]["total"], balance["liabilities"]["total"]) == ("1294.30", "226.80")
    assert balance["unallocatedEarnings"] == balance["totalEquity"] == "1067.50"
    assert balance["totalLiabilitiesAndEquity"] == "1294.30"
    ledger = {
        account["account"]["code"]: account["closing"] for account in answers["generalLedger"]
    }
    assert ledger == {
        "1000": "987.50",
        "1010": "306.80",
        "1100": "0.00",
        "2100": "-226.80",
        "4000": "-1080.00",
        "6000": "12.50",
    }
