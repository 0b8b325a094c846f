from django.contrib import admin

from filiere.territory.models import (
    Commune,
    CommuneCodeChange,
    Departement,
    Epci,
    NafCode,
    Region,
    SectorDefinition,
    SectorNafCode,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_select_related = ["region"]
    search_fields = ["code", "name"]


@admin.register(Epci)
class EpciAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "population"]
    search_fields = ["code", "name"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "departement", "epci", "population"]
    list_filter = ["kind", "departement"]
    list_select_related = ["departement", "epci"]
    search_fields = ["code", "name"]
    raw_id_fields = ["epci", "parent"]


@admin.register(CommuneCodeChange)
class CommuneCodeChangeAdmin(admin.ModelAdmin):
    list_display = ["old_code", "current_code", "name"]
    search_fields = ["old_code", "current_code", "name"]


@admin.register(NafCode)
class NafCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "label"]
    list_filter = ["level"]
    search_fields = ["code", "label"]
    raw_id_fields = ["parent"]


class SectorNafCodeInline(admin.TabularInline):
    model = SectorNafCode
    extra = 3


@admin.register(SectorDefinition)
class SectorDefinitionAdmin(admin.ModelAdmin):
    """Officers define sectors here; a change of codes belongs in a new version."""

    list_display = ["slug", "version", "name", "is_current"]
    list_filter = ["is_current"]
    search_fields = ["slug", "name"]
    inlines = [SectorNafCodeInline]
