from django.contrib import admin

from filiere.registers.models import (
    Cohort,
    DatalabProject,
    Dataset,
    Hosting,
    Residence,
    ThirdPlace,
    TrainingPath,
)


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0


@admin.register(Residence)
class ResidenceAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "theme", "capacity"]
    inlines = [CohortInline]


@admin.register(Hosting)
class HostingAdmin(admin.ModelAdmin):
    list_display = ["firm_name", "cohort", "entered_on", "left_on", "outcome", "is_demo"]
    list_filter = ["cohort__residence", "outcome", "is_demo"]
    search_fields = ["firm_name"]
    raw_id_fields = ["legal_unit"]


class DatasetInline(admin.TabularInline):
    model = Dataset
    extra = 1


@admin.register(DatalabProject)
class DatalabProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "started_on", "is_demo"]
    list_filter = ["status", "is_demo"]
    search_fields = ["title"]
    raw_id_fields = ["partners"]
    inlines = [DatasetInline]


@admin.register(ThirdPlace)
class ThirdPlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "departement_code", "status", "decided_on", "is_demo"]
    list_filter = ["status", "departement_code", "is_demo"]
    search_fields = ["name", "city"]
    raw_id_fields = ["applicant"]


@admin.register(TrainingPath)
class TrainingPathAdmin(admin.ModelAdmin):
    list_display = ["title", "provider_name", "format", "hours", "created_on", "is_demo"]
    list_filter = ["format", "is_demo"]
    search_fields = ["title", "provider_name"]
    raw_id_fields = ["provider"]
