from django.contrib import admin

from filiere.support.models import RoutingRule, SupportEvent, SupportNeed, SupportNote


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "departement",
        "size",
        "naf_prefix",
        "register",
        "office",
        "is_active",
    ]
    list_filter = ["subject", "is_active", "office"]


class SupportEventInline(admin.TabularInline):
    model = SupportEvent
    extra = 0
    readonly_fields = ["at", "kind", "user", "office", "status", "note"]


class SupportNoteInline(admin.TabularInline):
    model = SupportNote
    extra = 0
    readonly_fields = ["at", "author", "kind", "text"]


@admin.register(SupportNeed)
class SupportNeedAdmin(admin.ModelAdmin):
    list_display = ["legal_unit", "subject", "status", "created_at", "taken_office", "satisfaction"]
    list_filter = ["subject", "status", "is_demo"]
    raw_id_fields = ["legal_unit", "recorded_by", "taken_by"]
    inlines = [SupportNoteInline, SupportEventInline]
