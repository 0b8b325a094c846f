"""The back office sees the endpoints (never their secret) and the deliveries with their
attempts; the organisations' admins run them from their pages."""

from django.contrib import admin

from filiere.webhooks.models import Attempt, Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "organisation", "is_active", "failures", "switched_off_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "organisation__name"]
    fields = ["organisation", "url", "events", "is_active", "failures", "off_reason"]
    readonly_fields = ["organisation", "failures", "off_reason"]


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    readonly_fields = ["number", "at", "status_code", "duration_ms", "error", "excerpt"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "endpoint", "status", "attempts", "created_at"]
    list_filter = ["status", "event"]
    readonly_fields = [
        "endpoint",
        "event",
        "occurrence",
        "body",
        "status",
        "attempts",
        "next_attempt_at",
        "finished_at",
    ]
    inlines = [AttemptInline]
