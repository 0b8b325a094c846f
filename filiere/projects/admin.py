from django.contrib import admin
from django.db import models

from filiere.projects.models import (
    AidImportRun,
    AidScheme,
    Document,
    FollowUpReport,
    Funding,
    Milestone,
    Partner,
    Project,
    Review,
    SavedSearch,
    Transition,
)
from filiere.projects.services.catalogue import scheme_edit


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    raw_id_fields = ["legal_unit"]


class ReviewInline(admin.TabularInline):
    model = Review
    extra = 0
    raw_id_fields = ["reviewer"]


class FundingInline(admin.TabularInline):
    model = Funding
    extra = 0


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = ["from_state", "to_state", "by", "at", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "lead", "market", "state", "trl", "is_demo"]
    list_filter = ["state", "market", "is_demo"]
    search_fields = ["title", "acronym", "lead__name"]
    raw_id_fields = ["lead"]
    # The state moves through the workflow (with its history), not by hand.
    readonly_fields = ["state"]
    inlines = [PartnerInline, ReviewInline, FundingInline, TransitionInline]


@admin.register(AidScheme)
class AidSchemeAdmin(admin.ModelAdmin):
    list_display = ["title", "funder", "form", "level", "closes_on", "is_published"]
    list_filter = ["form", "level", "is_published", "source", "edited_here", "is_demo"]
    search_fields = ["title", "funder", "description", "source_id"]
    # The link to the source is the import's; an edit here marks an imported scheme as such.
    readonly_fields = ["source", "source_id", "source_url", "source_updated_at", "edited_here"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        if change:
            scheme_edit(scheme=obj)
        else:
            super().save_model(request, obj, form, change)


@admin.register(AidImportRun)
class AidImportRunAdmin(admin.ModelAdmin):
    """The runs as recorded: read only."""

    list_display = ["started_at", "trigger", "status", "since"]
    list_filter = ["status", "trigger"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register([Document, Milestone, FollowUpReport, SavedSearch])
