from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from core.audit import record_access
from core.models import AccessLog

LIST_SUBJECTS_MAX = 190  # AccessLog.reason holds 200 characters


class AuditedReadAdmin(admin.ModelAdmin):
    """Logs every admin read of a personal-data model in the access log (접속기록).

    * Opening one object (change_view, which is also the read-only view): one `view` row
      against the person it belongs to.
    * A list page (changelist_view): one `view` row for the page, subject "list", with the
      ids of the people shown on it in `reason` as ",3,5,9," (search the access-log admin
      for ",5," to find the list pages that showed person 5). One row, not one per person:
      a list shows at most a page of e-mail addresses and dates, and a row per person per
      page view would drown the log in list browsing.

    `audit_subject` names the attribute holding the person's user id; override
    `subject_of` when the link is not a key (django-axes keeps the e-mail address as text).
    """

    audit_subject = "user_id"

    def subject_of(self, obj: Any) -> str:
        value = getattr(obj, self.audit_subject, None)
        return "" if value is None else str(value)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = response.context_data.get("original") if isinstance(response, TemplateResponse) and response.context_data else None
        if obj is not None:  # shown (not a redirect for a missing object or a refusal)
            record_access(request, actor=request.user, subject_id=self.subject_of(obj), action=AccessLog.Action.VIEW, obj=obj)
        return response

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = response.context_data.get("cl") if isinstance(response, TemplateResponse) and response.context_data else None
        if changelist is not None:
            subjects = list(dict.fromkeys(s for s in map(self.subject_of, changelist.result_list) if s))
            listed = ","
            for subject in subjects:
                if len(listed) + len(subject) + 1 > LIST_SUBJECTS_MAX:
                    listed += "…"
                    break
                listed += subject + ","
            record_access(
                request, actor=request.user, subject_id="list", action=AccessLog.Action.VIEW,
                object_type=self.model._meta.label_lower, object_id=f"page {changelist.page_num}", reason=listed,
            )
        return response


def user_id_by_username(username: str | None) -> str:
    """For rows that keep the e-mail address as text (django-axes): the account's id, or ""
    when no account has it (the log keeps ids, never the address)."""
    if not username:
        return ""
    pk = get_user_model()._default_manager.filter(username__iexact=username).values_list("pk", flat=True).first()
    return "" if pk is None else str(pk)


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_id", "subject_id", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "subject_id", "object_id", "reason"]
    readonly_fields = [f.name for f in AccessLog._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
