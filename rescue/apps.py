from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RescueConfig(AppConfig):
    name = "rescue"
    verbose_name = _("폐강 예방")
