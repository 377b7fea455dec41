"""Where the dashboards and the statistics API read from."""

from __future__ import annotations

from django.conf import settings


def reporting_db() -> str:
    """The read replica when one is configured (`DATABASES["replica"]`), else the primary.
    The one place insights chooses a database, so a project-wide router can replace it."""
    return "replica" if "replica" in settings.DATABASES else "default"
