from django.contrib import admin

from accounts.models import ConsentText


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
