"""The audit trail of any record, batched: one statement for every record asking."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from strawberry.dataloader import DataLoader

from api.context import Info
from domain.governance.models import AuditChange, AuditEvent


async def audit_trail(info: Info, record_type: str, record_id: int) -> list[Any]:
    """The audit events that touched the record, newest first, within the company."""

    def loader() -> DataLoader[int, list[AuditEvent]]:
        async def load(ids: Sequence[int]) -> list[list[AuditEvent]]:
            rows = await info.context.session.execute(
                select(AuditChange.record_id, AuditEvent)
                .join(AuditEvent, AuditEvent.id == AuditChange.event_id)
                .where(
                    AuditChange.record_type == record_type,
                    AuditChange.record_id.in_(ids),
                    AuditEvent.company_id == info.context.company_id,
                )
                .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            )
            grouped: dict[int, list[AuditEvent]] = defaultdict(list)
            for key, event in rows:
                grouped[key].append(event)
            return [grouped[key] for key in ids]

        return DataLoader(load_fn=load)

    return await info.context.loaders.get(("audit", record_type), loader).load(record_id)
