from django.contrib import admin

from filiere.directory.models import (
    Contact,
    Establishment,
    Label,
    LabelRequest,
    LegalUnit,
    RegisterImport,
    Tag,
)


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    raw_id_fields = ["user"]


@admin.register(LegalUnit)
class LegalUnitAdmin(admin.ModelAdmin):
    list_display = ["siren", "name", "naf", "status", "is_demo"]
    list_filter = ["status", "is_demo", "is_ess"]
    search_fields = ["siren", "name", "acronym"]
    raw_id_fields = ["organisation"]
    filter_horizontal = ["tags"]
    inlines = [ContactInline]
    # Labels are granted through the label requests' page, which keeps who decided and why.
    readonly_fields = [
        "labels",
        "siren",
        "created_on",
        "headcount_band",
        "company_category",
        "legal_category",
        "naf",
        "status",
        "is_ess",
    ]


@admin.register(Establishment)
class EstablishmentAdmin(admin.ModelAdmin):
    """The register's data: read-only here, kept up to date by import_sirene."""

    list_display = ["siret", "name", "naf", "departement_code", "status", "is_demo"]
    list_filter = ["status", "departement_code", "is_demo"]
    search_fields = ["siret", "name"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["label", "slug"]
    search_fields = ["label"]
    prepopulated_fields = {"slug": ["label"]}


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "granted_by"]
    list_filter = ["kind"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["granted_by"]


@admin.register(LabelRequest)
class LabelRequestAdmin(admin.ModelAdmin):
    """The history of requests, read here; they are decided on the label requests' page."""

    list_display = ["legal_unit", "label", "status", "requested_at", "decided_at", "is_demo"]
    list_filter = ["status", "label", "is_demo"]
    search_fields = ["legal_unit__name", "legal_unit__siren"]
    list_select_related = ["legal_unit", "label"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RegisterImport)
class RegisterImportAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "territory",
        "sector",
        "establishments_created",
        "establishments_updated",
        "establishments_closed",
        "rows_rejected",
        "is_demo",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
