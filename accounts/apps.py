from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("계정과 동의")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from accounts.lockout import record_failure

        user_login_failed.connect(record_failure, dispatch_uid="accounts.record_failure")
