from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from referrals import services
from referrals.models import Partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "email", "accepts_self_referral", "is_demo", "is_active")
    list_filter = ("kind", "is_demo", "is_active", "accepts_self_referral")
    search_fields = ("name", "slug")
    filter_horizontal = ("services", "centres")
    actions = ["make_api_key"]

    @admin.action(description=_("API 키 새로 만들기 (한 번만 보입니다)"))
    def make_api_key(self, request: HttpRequest, queryset: Any) -> None:
        for partner in queryset:
            key = services.new_api_key(partner)
            messages.warning(request, _("%(name)s API 키: %(key)s — 지금 기관에 전달하세요. 다시 볼 수 없습니다.") % {"name": partner.name, "key": key})
