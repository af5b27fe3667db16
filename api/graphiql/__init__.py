"""GraphiQL served from the project: its page, the example document it opens with, and the
vendored scripts and styles (`vendor/`, see its README), so it works without the internet."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).parent
#: Served at `ASSETS_PATH` by the app.
ASSETS = HERE / "vendor"
ASSETS_PATH = "/graphiql"
EXAMPLES = HERE / "examples.graphql"


@lru_cache
def page() -> str:
    """The GraphiQL page, its example document inlined as a JavaScript string."""
    examples = json.dumps(EXAMPLES.read_text()).replace("</", "<\\/")
    return (HERE / "page.html").read_text().replace("{{ examples }}", examples)
