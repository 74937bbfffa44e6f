"""The committed api/schema.graphql must equal the live schema.

Regenerate it with
``strawberry export-schema api.graphql.schema:schema --output api/schema.graphql``
(needs ``strawberry-graphql[cli]``), or equivalently
``python -c "from pathlib import Path; from strawberry.printer import print_schema;
from api.graphql.schema import schema;
Path('api/schema.graphql').write_text(print_schema(schema) + '\\n')"``.
"""

from __future__ import annotations

import difflib

from strawberry.printer import print_schema

from api.graphql.schema import schema
from kg.core.config import PROJECT_ROOT

SCHEMA_FILE = PROJECT_ROOT / "api" / "schema.graphql"


def test_committed_schema_matches_live_schema() -> None:
    live = print_schema(schema) + "\n"
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(
            committed.splitlines(keepends=True),
            live.splitlines(keepends=True),
            fromfile="api/schema.graphql (committed)",
            tofile="live schema",
        )
    )
    assert not diff, f"api/schema.graphql is stale; re-export it:\n{diff}"


def test_skeleton_fields_exist() -> None:
    sdl = SCHEMA_FILE.read_text(encoding="utf-8")
    for needle in (
        "search(query: String!, limit: Int! = 10, filter: SearchFilterInput = null, "
        "includeDuplicates: Boolean! = false, orderBy: SearchOrder = null): SearchResult!",
        "entity(id: ID = null, name: String = null): EntityResult!",
        "union IngestArticleResult = IngestArticleSuccess | ValidationError | AuthenticationError",
    ):
        assert needle in sdl
