from django.contrib import admin

from filiere.observatory.models import SireneImport


@admin.register(SireneImport)
class SireneImportAdmin(admin.ModelAdmin):
    """The imports started from the observatory's page, read-only: their page and their
    worker write them."""

    list_display = [
        "created_at",
        "territory_label",
        "sector",
        "status",
        "establishments_created",
        "establishments_updated",
        "rows_rejected",
        "started_by",
    ]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
