"""The audit trail: every command that runs leaves a record of who did what to which records.

The middleware watches the Unit of Work's flushes while the command runs and keeps, per record
created, changed or deleted, the fields that changed with their values before and after.
The record is written in the command's own transaction: it exists exactly when the change
does. Secrets (fields ending in `_hash`) never appear.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from domain.core.dispatcher import Execution, Next, use
from domain.governance.models import AuditChange, AuditEvent

#: Columns never recorded: bookkeeping, or secrets.
_SKIPPED = frozenset({"created_at", "updated_at"})
_Key = tuple[str, int]


def _value(value: Any) -> Any:
    if isinstance(value, Decimal):
        # Without trailing zeros, however it was stored: 10.000000 reads 10, 12.50 reads 12.5.
        return str(
            value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
        )
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _recorded(name: str) -> bool:
    return name not in _SKIPPED and not name.endswith("_hash")


class _Recorder:
    """Collects what each flush of one session did, merged per record."""

    def __init__(self) -> None:
        self.changes: dict[_Key, tuple[str, dict[str, Any]]] = {}

    def after_flush(self, session: Session, _context: Any) -> None:
        for obj in session.new:
            if isinstance(obj, AuditEvent | AuditChange):
                continue
            self._note(obj, "create", self._created(obj))
        for obj in session.dirty:
            if isinstance(obj, AuditEvent | AuditChange) or not session.is_modified(obj):
                continue
            self._note(obj, "update", self._updated(obj))
        for obj in session.deleted:
            self._note(obj, "delete", {})

    def _note(self, obj: Any, action: str, values: dict[str, Any]) -> None:
        state = inspect(obj)
        # New rows have their key by now, though not yet their identity.
        identity = state.identity or state.mapper.primary_key_from_instance(obj)
        if not identity or not isinstance(identity[0], int):
            return
        key = (type(obj).__name__, identity[0])
        previous = self.changes.get(key)
        if previous is None:
            self.changes[key] = (action, values)
            return
        _, kept = previous
        if action == "delete":
            self.changes[key] = ("delete", kept)
            return
        for name, (before, after) in values.items():
            kept[name] = (kept[name][0], after) if name in kept else (before, after)

    @staticmethod
    def _created(obj: Any) -> dict[str, Any]:
        state = inspect(obj)
        values: dict[str, Any] = {}
        for column in state.mapper.column_attrs:
            value = state.attrs[column.key].value
            if _recorded(column.key) and value is not None:
                values[column.key] = (None, _value(value))
        return values

    @staticmethod
    def _updated(obj: Any) -> dict[str, Any]:
        state = inspect(obj)
        values: dict[str, Any] = {}
        for column in state.mapper.column_attrs:
            if not _recorded(column.key):
                continue
            history = state.attrs[column.key].history
            if not history.has_changes():
                continue
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before != after:
                values[column.key] = (_value(before), _value(after))
        return values


@use
async def record_audit(execution: Execution, call_next: Next) -> Any:
    """Run the command, then write its audit record beside its changes."""
    session = execution.uow.session
    recorder = _Recorder()
    sync_session = session.sync_session
    event.listen(sync_session, "after_flush", recorder.after_flush)
    try:
        result = await call_next()
        await session.flush()
    finally:
        event.remove(sync_session, "after_flush", recorder.after_flush)
    actor = execution.actor
    command = execution.command
    entry = AuditEvent(
        company_id=command.company_id or None,
        actor_kind=actor.kind,
        actor_id=actor.id,
        actor_name=actor.name,
        command=command.command_name,
        input=command.as_record(),
        request_id=execution.request_id,
    )
    session.add(entry)
    await session.flush()
    session.add_all(
        AuditChange(
            event_id=entry.id,
            record_type=record_type,
            record_id=record_id,
            action=action,
            values={name: list(pair) for name, pair in values.items()},
        )
        for (record_type, record_id), (action, values) in recorder.changes.items()
    )
    return result
