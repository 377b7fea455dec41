"""SQL aggregates Django does not ship for every database the project runs on."""

from __future__ import annotations

from typing import Any

from django.db.models import Aggregate, JSONField


class JSONRows(Aggregate):
    """The grouped rows as one JSON array (pass `JSONObject(...)` for one object per row):
    `json_group_array` on SQLite, `jsonb_agg` on PostgreSQL (jsonb, which Django's
    JSONField reads back as it reads a jsonb column).

    For a short list of child rows read with their parent in one query (as a correlated
    subquery), where a page is at its query budget. The order inside the array is not
    defined: sort in Python."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)
