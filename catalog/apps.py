from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("연계 서비스")

    def ready(self) -> None:
        from catalog import signals  # noqa: F401 - connects the fragment bumps
