"""Described arguments shared by many fields: paging through connections."""

from __future__ import annotations

from typing import Annotated

import strawberry

First = Annotated[
    int | None,
    strawberry.argument(
        description="How many records from the start (or after `after`): 20 by default, "
        "at most 100."
    ),
]
After = Annotated[
    str | None, strawberry.argument(description="Cursor of the record the page starts after.")
]
Last = Annotated[
    int | None,
    strawberry.argument(description="How many records from the end (or before `before`)."),
]
Before = Annotated[
    str | None, strawberry.argument(description="Cursor of the record the page ends before.")
]
