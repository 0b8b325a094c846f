from django.contrib import admin

from filiere.observatory.models import SectorDefinition, SectorNafCode


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
