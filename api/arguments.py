"""Descriptions of the arguments mutations share."""

from __future__ import annotations

import strawberry

ID = strawberry.argument(description="Global ID of the record to act on.")
INPUT = strawberry.argument(description="The values to apply.")
LINES = strawberry.argument(description="The lines to add, in order.")
