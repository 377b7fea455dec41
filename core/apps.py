from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Every `migrate` (make run, serve-prod.sh, the test database) also creates the
    database cache table the rate limits count in; it is a no-op when it exists or when
    the cache is Redis."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "공통"

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="core.create_cache_table")
        from django.contrib.auth.signals import user_logged_in

        from core.access import mark_login_session

        user_logged_in.connect(mark_login_session, dispatch_uid="core.mark_login_session")
