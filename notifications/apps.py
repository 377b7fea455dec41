from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_schedules(sender: AppConfig, **kwargs: Any) -> None:
    from notifications.schedules import ensure_schedules

    ensure_schedules()


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("알림과 백그라운드 작업")

    def ready(self) -> None:
        post_migrate.connect(_ensure_schedules, sender=self, dispatch_uid="notifications.ensure_schedules")
