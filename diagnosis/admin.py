from django.contrib import admin

from core.admin import AuditedReadAdmin
from diagnosis.models import Instrument, InstrumentItem, Result

ITEM_FIELDS = ("position", "item_id", "section", "text_ko", "scale", "reverse")
RESULT_FIELDS = ("created_at", "instrument", "type_code", "goal", "age_band", "region", "employment_status", "scale_scores")


class InstrumentItemInline(admin.TabularInline):
    model = InstrumentItem
    fields = ITEM_FIELDS
    readonly_fields = ITEM_FIELDS
    extra = 0
    can_delete = False


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    """Released instruments are read-only: results must keep meaning what they meant."""

    list_display = ["version", "title", "is_current", "loaded_at"]
    readonly_fields = ["version", "title", "spec", "is_current", "loaded_at"]
    inlines = [InstrumentItemInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Result)
class ResultAdmin(AuditedReadAdmin):
    audit_subject = "owner_id"  # empty for anonymous results
    list_display = ["created_at", "type_code", "goal", "age_band", "region", "instrument"]
    list_filter = ["type_code", "goal", "age_band", "region"]
    fields = RESULT_FIELDS
    readonly_fields = RESULT_FIELDS

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
