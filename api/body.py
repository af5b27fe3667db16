"""Reading a GraphQL request body: JSON that is well-formed in every way our stack cares for,
or a 400 saying what is wrong, before any of it is parsed as GraphQL."""

from __future__ import annotations

import json

from cross_web import HTTPException

from api.scalars import JsonNumber

#: Deepest nesting of objects and lists a body may have; inputs nest a few levels.
MAX_NESTING = 32


def decode_body(data: str | bytes) -> object:
    """The body's JSON: an object (or a list, for batches), UTF-8, nested at most
    `MAX_NESTING` deep, its strings free of unpaired surrogates (which no encoder takes), its
    numbers with a fraction kept as written for the Decimal scalar (`JsonNumber`)."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        decoded = json.loads(text, parse_float=JsonNumber)
    except UnicodeDecodeError:
        raise HTTPException(400, "The request body is not valid UTF-8.") from None
    except RecursionError:
        raise HTTPException(400, _too_deep()) from None
    except json.JSONDecodeError:
        raise HTTPException(400, "Unable to parse request body as JSON") from None
    if not isinstance(decoded, dict | list):
        raise HTTPException(400, "The request body must be a JSON object.")
    _check(decoded)
    return decoded


def _too_deep() -> str:
    return f"The request body nests objects and lists more than {MAX_NESTING} deep."


def _check(decoded: object) -> None:
    """Walk the body once, without recursion (its depth is the caller's to choose)."""
    stack: list[tuple[object, int]] = [(decoded, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            _check_text(value)
        elif isinstance(value, dict | list):
            if depth >= MAX_NESTING:
                raise HTTPException(400, _too_deep())
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str):
                    _check_text(key)
                stack.append((item, depth + 1))


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise HTTPException(
            400, "Strings in the request may not contain unpaired surrogates (\\ud800-\\udfff)."
        ) from None
