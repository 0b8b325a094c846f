from django.contrib import admin

from filiere.projects.models import (
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
    list_filter = ["form", "level", "is_published", "is_demo"]
    search_fields = ["title", "funder", "description"]


admin.site.register([Document, Milestone, FollowUpReport, SavedSearch])
