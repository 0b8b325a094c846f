from django.contrib import admin

from filiere.partners.models import ApiCall, ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "organisation", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "organisation__name")
    readonly_fields = ("prefix", "secret_hash", "created_by", "created_at", "last_used_at")
    raw_id_fields = ("organisation", "revoked_by")


@admin.register(ApiCall)
class ApiCallAdmin(admin.ModelAdmin):
    list_display = ("at", "key", "method", "route", "status", "duration_ms")
    list_filter = ("status", "method")
    search_fields = ("route", "key__prefix", "key__organisation__name")
    readonly_fields = ("key", "at", "method", "route", "status", "duration_ms")
