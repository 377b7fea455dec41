from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounsellingConfig(AppConfig):
    name = "counselling"
    verbose_name = _("1:1 상담과 사례 관리")

    def ready(self) -> None:
        from counselling import notify
        from notifications import composers

        composers.register(notify.COMPOSER, notify.compose)
