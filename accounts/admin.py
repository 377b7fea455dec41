from typing import Any

from axes import admin as axes_admin  # imported first so its registrations can be replaced below
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from accounts.models import ConsentText
from core.admin import AuditedReadAdmin, user_id_by_username


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    """Read-only: consent texts come from accounts/fixtures_data/consent.json (a new text is a
    new version there, loaded by `manage.py load_reference_data`). Individual consents are
    personal data and are not shown in the admin."""

    list_display = ["version", "effective_from", "is_current", "loaded_at"]
    readonly_fields = [f.name for f in ConsentText._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


# --- reads of people's accounts and log-in records are logged (core.admin.AuditedReadAdmin) ---


class AuditedUserAdmin(AuditedReadAdmin, UserAdmin):
    audit_subject = "pk"


class _ByUsername(AuditedReadAdmin):
    def subject_of(self, obj: Any) -> str:
        return user_id_by_username(obj.username)


class AuditedAccessAttemptAdmin(_ByUsername, axes_admin.AccessAttemptAdmin):
    pass


class AuditedAxesAccessLogAdmin(_ByUsername, axes_admin.AccessLogAdmin):
    pass


class AuditedAccessFailureLogAdmin(_ByUsername, axes_admin.AccessFailureLogAdmin):
    pass


for _model, _admin_class in (
    (User, AuditedUserAdmin),
    (AccessAttempt, AuditedAccessAttemptAdmin),
    (AxesAccessLog, AuditedAxesAccessLogAdmin),
    (AccessFailureLog, AuditedAccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin_class)
