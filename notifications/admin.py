"""Read-only outbox for superusers (operations: what went out, what failed and why).
Every read is logged: the rows hold addresses and message bodies."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from core.admin import AuditedReadAdmin
from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(AuditedReadAdmin):
    audit_subject = "recipient_id"
    list_display = ["created_at", "kind", "channel", "status", "attempts", "sent_at", "dedupe_key"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["dedupe_key"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
