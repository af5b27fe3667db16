"""The permission matrix, generated from the live schema: every root field and mutation.

For each, a caller holding every permission but the ones it needs is refused with FORBIDDEN
and nothing runs (no command writes its audit record); a caller holding just those is not
refused; a caller without credentials gets UNAUTHENTICATED with HTTP 401. A field or mutation
added without a declared permission fails `test_every_root_field_declares_its_permission`.
"""

from __future__ import annotations

from typing import Any

import httpx
from graphql import get_named_type
from sqlalchemy import func, select

from api.access import ANONYMOUS_FIELDS, rules_of, undeclared_root_fields
from domain.core.dispatcher import PERMISSIONS
from domain.core.settings import get_settings
from domain.governance.identity import access_token
from domain.governance.models import AuditEvent, Membership, MembershipRole, Role, SignInSession
from domain.governance.models import User as UserRow
from tests.api.schema_walk import RootCall, live_schema, root_calls
from tests.api.test_identity import post
from tests.conftest import Db, bearer

SCHEMA = live_schema()
RULES = rules_of(SCHEMA)


def needed(call: RootCall) -> frozenset[str]:
    """What the schema declares the call needs."""
    if call.operation == "mutation":
        permission = RULES.mutations.get(call.name)
        return frozenset({permission.name}) if permission else frozenset()
    root = SCHEMA.query_type
    assert root is not None
    key = ("Query", call.name)
    if key in RULES.fields:
        permission = RULES.fields[key]
        return frozenset({permission.name}) if permission else frozenset()
    returned = get_named_type(root.fields[call.name].type).name
    return frozenset({RULES.types[returned].name}) if returned in RULES.types else frozenset()


class Callers:
    """Users holding exactly a given set of permissions in the test company, made once each."""

    def __init__(self, db: Db) -> None:
        self.db = db
        self.tokens: dict[frozenset[str], str] = {}

    async def holding(self, permissions: frozenset[str]) -> str:
        if permissions not in self.tokens:
            index = len(self.tokens)

            async def create(uow: Any) -> str:
                role = Role(name=f"matrix {index}", permissions=sorted(permissions))
                user = UserRow(email=f"m{index}@example.com", name=f"m{index}", password_hash="-")
                uow.session.add_all([role, user])
                await uow.session.flush()
                membership = Membership(user_id=user.id, company_id=self.db.company_id)
                uow.session.add(membership)
                await uow.session.flush()
                uow.session.add(MembershipRole(membership_id=membership.id, role_id=role.id))
                session = SignInSession(user_id=user.id)
                uow.session.add(session)
                await uow.session.flush()
                return access_token(get_settings().secret_key, user, session.id)[0]

            self.tokens[permissions] = await self.db.run(create)
        return self.tokens[permissions]


def codes(body: dict[str, Any]) -> set[str]:
    return {error.get("extensions", {}).get("code") for error in body.get("errors") or ()}


def test_every_root_field_declares_its_permission() -> None:
    assert undeclared_root_fields(SCHEMA) == []


async def test_callers_without_the_permission_are_refused_and_nothing_runs(
    db: Db, http: httpx.AsyncClient
) -> None:
    callers = Callers(db)
    everything = frozenset(PERMISSIONS)
    wrong: list[str] = []
    checked = 0
    for call in root_calls(SCHEMA):
        need = needed(call)
        if not need:
            continue
        checked += 1
        audited = await db.scalar(select(func.count()).select_from(AuditEvent))
        refused = (
            await post(http, call.document, **bearer(await callers.holding(everything - need)))
        ).json()
        if codes(refused) != {"FORBIDDEN"} or refused.get("data") is not None:
            wrong.append(f"{call.name}: without {sorted(need)} got {refused}")
        if await db.scalar(select(func.count()).select_from(AuditEvent)) != audited:
            wrong.append(f"{call.name}: ran although refused")
        allowed = (await post(http, call.document, **bearer(await callers.holding(need)))).json()
        if "FORBIDDEN" in codes(allowed):
            wrong.append(f"{call.name}: refused with exactly {sorted(need)}: {allowed}")
    assert wrong == []
    # Every mutation but signing in and out, and every query but `me`, `node(s)` and
    # `permissions`, needs a permission.
    assert checked == len(SCHEMA.query_type.fields) + len(SCHEMA.mutation_type.fields) - 7  # type: ignore[union-attr]


async def test_anonymous_callers_get_unauthenticated_everywhere_but_signing_in(
    http: httpx.AsyncClient,
) -> None:
    wrong = []
    for call in root_calls(SCHEMA):
        response = await post(http, call.document)
        body = response.json()
        if call.name in ANONYMOUS_FIELDS:
            if response.status_code == 401 or "UNAUTHENTICATED" in codes(body):
                wrong.append(f"{call.name} refused an anonymous caller")
        elif response.status_code != 401 or codes(body) != {"UNAUTHENTICATED"} or body["data"]:
            wrong.append(f"{call.name}: {response.status_code} {body}")
    assert wrong == []
