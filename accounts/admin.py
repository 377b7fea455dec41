"""Admin of accounts: consent texts (read-only), people's accounts and log-in records (every
read logged) and staff roles (superusers grant and revoke; history kept)."""

from typing import Any

from axes import admin as axes_admin  # imported first so its registrations can be replaced below
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import ConsentText, StaffRole
from core.admin import AuditedReadAdmin, user_id_by_username
from core.roles import CENTRE_BOUND


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


# --- staff roles: what each may see and do is core/roles.py (docs/roles.md) ---------------


class StaffRoleForm(forms.ModelForm):
    class Meta:
        model = StaffRole
        fields = ["user", "role", "centre"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The database refuses it too (a check constraint); here the reason is said in words.
        if data.get("role") in CENTRE_BOUND and not data.get("centre"):
            self.add_error("centre", _("상담사와 센터장은 센터를 골라야 합니다."))
        return data


class _SuperusersOnly:
    """Granting and revoking roles is for superusers: an admin account (is_staff) with
    model permissions still may not give itself a role."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)


@admin.register(StaffRole)
class StaffRoleAdmin(_SuperusersOnly, AuditedReadAdmin, SimpleHistoryAdmin):
    """Who holds which role where. Each grant, change and revocation is a history row
    (who did it, when: simple_history's "history" button); reads are in the access log."""

    form = StaffRoleForm
    list_display = ["user", "role", "centre", "granted_at"]
    list_filter = ["role", "centre"]
    search_fields = ["user__username", "user__email", "centre__name"]
    autocomplete_fields = ["user"]
    readonly_fields = ["granted_at"]
    history_list_display = ["role", "centre"]

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        # A revert would be a grant without its own row saying who decided it now.
        return True


class StaffRoleInline(_SuperusersOnly, admin.TabularInline):
    model = StaffRole
    form = StaffRoleForm
    fields = ["role", "centre", "granted_at"]
    readonly_fields = ["granted_at"]
    extra = 0
    verbose_name = _("직원 역할")
    verbose_name_plural = _("직원 역할 (부여·회수 기록은 직원 역할 화면의 기록에 남습니다)")


# --- reads of people's accounts and log-in records are logged (core.admin.AuditedReadAdmin) ---


class AuditedUserAdmin(AuditedReadAdmin, UserAdmin):
    audit_subject = "pk"
    inlines = [StaffRoleInline]


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
