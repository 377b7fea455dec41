from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("프로그램과 회차")

    def ready(self) -> None:
        from notifications import composers
        from programmes import checks, notify, signals  # noqa: F401 - registers the system check and the fragment bumps

        composers.register(notify.COMPOSER, notify.compose)
