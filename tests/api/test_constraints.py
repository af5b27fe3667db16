"""A database constraint that a race slips past the services' checks is a typed error, and
the transaction leaves nothing behind."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from domain.core.uow import UnitOfWork
from domain.partners import services
from domain.partners.models import Partner
from tests.conftest import Db, GraphQLClient, postgres_only

CREATE = """mutation($input: PartnerInput!) { partnerCreate(input: $input) {
    partner { id } errors { field code message } } }"""


def _writing(**values: Any) -> Any:
    """A partner service that writes a row the database refuses, after a valid one."""

    async def create(uow: UnitOfWork, company_id: int, _values: Any) -> Partner:
        uow.session.add(Partner(company_id=company_id, name="Kept only if committed"))
        await uow.session.flush()
        partner = Partner(company_id=company_id, **values)
        uow.session.add(partner)
        await uow.session.flush()
        return partner

    return create


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"name": "Orphan", "parent_id": 999_999}, "NOT_FOUND"),
        ({"name": None}, "REQUIRED"),
    ],
)
async def test_violated_constraint_is_typed_and_rolls_back(
    gql: GraphQLClient,
    db: Db,
    monkeypatch: pytest.MonkeyPatch,
    values: dict[str, Any],
    code: str,
) -> None:
    monkeypatch.setattr(services, "create_partner", _writing(**values))
    data = await gql(CREATE, {"input": {"name": "Azure Interior"}})
    assert data["partnerCreate"]["partner"] is None
    assert [error["code"] for error in data["partnerCreate"]["errors"]] == [code]
    assert await db.scalar(select(func.count()).select_from(Partner)) == 0


@postgres_only
async def test_a_value_the_column_cannot_hold_is_typed_and_rolls_back(
    gql: GraphQLClient, db: Db, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Names hold 200 characters; PostgreSQL refuses 300 where SQLite would store them.
    monkeypatch.setattr(services, "create_partner", _writing(name="x" * 300))
    data = await gql(CREATE, {"input": {"name": "Azure Interior"}})
    assert data["partnerCreate"] == {
        "partner": None,
        "errors": [
            {
                "field": None,
                "code": "INVALID",
                "message": "A value is too long, too large or not allowed for its field.",
            }
        ],
    }
    assert await db.scalar(select(func.count()).select_from(Partner)) == 0
