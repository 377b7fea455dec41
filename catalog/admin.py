"""Django admin for services: read-mostly, for superusers.

Operators edit services in the staff screens (/services/staff/), which go through
catalog.services and keep the derived search/filter columns in sync. Here every field is
read-only and reverting from the history is disabled, so the admin cannot bypass that.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from catalog.models import Service


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ["name_ko", "slug", "kind", "delivery", "is_active", "checked_on", "updated_at"]
    list_filter = ["kind", "delivery", "is_active"]
    search_fields = ["name_ko", "name_en", "operator_ko", "slug"]
    readonly_fields = ["staff_screen", *(f.name for f in Service._meta.concrete_fields if f.name != "id")]
    history_list_display = ["history_change_reason"]

    @admin.display(description=_("수정하기"))
    def staff_screen(self, obj: Service) -> str:
        return format_html('<a href="{}">{}</a>', reverse("catalog:staff-edit", args=[obj.slug]), _("운영자 화면에서 수정"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True
