from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JourneysConfig(AppConfig):
    name = "journeys"
    verbose_name = _("가이드맵")

    def ready(self) -> None:
        from journeys import signals  # noqa: F401 - connects the fragment bumps
