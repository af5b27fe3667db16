"""Opaque global IDs: decoding what callers send, with typed errors for bad ones."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from strawberry import relay

from domain.core.errors import CoreErrorCode, DomainError

#: The largest primary key a (signed 64-bit) key column holds.
MAX_KEY = 2**63 - 1


def database_key(value: Any) -> int:
    """`value` as a primary key: an integer (or its digits) a key column can hold, else a
    `ValueError`, so an out-of-range key never reaches the database."""
    key = int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else value
    if not isinstance(key, int) or isinstance(key, bool) or not 0 < key <= MAX_KEY:
        raise ValueError(f"{value!r} is not a record key.")
    return key


class InvalidId(DomainError):
    """An ID that is malformed or names another type than the field expects."""

    code: CoreErrorCode


def decode_id(global_id: str, type_name: str, field: str) -> int:
    """The primary key inside `global_id`, which must be an ID of `type_name`."""
    try:
        gid = (
            global_id
            if isinstance(global_id, relay.GlobalID)
            else relay.GlobalID.from_id(global_id)
        )
        if gid.type_name != type_name:
            raise ValueError(gid.type_name)
        return database_key(gid.node_id)
    except (ValueError, TypeError) as error:
        raise InvalidId(
            CoreErrorCode.NOT_FOUND, f"{global_id} is not the ID of a {type_name}.", field=[field]
        ) from error


def decode_ids(global_ids: Sequence[str], type_name: str, field: str) -> list[int]:
    return [decode_id(gid, type_name, field) for gid in global_ids]
