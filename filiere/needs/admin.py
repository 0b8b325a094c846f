from django.contrib import admin

from filiere.directory.search import firm_texts_changed
from filiere.needs.adapters import providers_changed
from filiere.needs.models import (
    InvitationList,
    Match,
    Need,
    NeedNote,
    OfferReference,
    ProviderOffer,
)


class OfferReferenceInline(admin.TabularInline):
    model = OfferReference
    extra = 0


@admin.register(ProviderOffer)
class ProviderOfferAdmin(admin.ModelAdmin):
    list_display = ["legal_unit", "is_published", "updated_at", "is_demo"]
    list_filter = ["is_published", "is_demo"]
    search_fields = ["legal_unit__name", "legal_unit__siren"]
    raw_id_fields = ["legal_unit"]
    inlines = [OfferReferenceInline]

    def save_related(self, request, form, formsets, change):
        # What the directory searches of the firm, and the providers' index, follow the offer.
        super().save_related(request, form, formsets, change)
        firm_texts_changed([form.instance.legal_unit_id])
        providers_changed()


class MatchInline(admin.TabularInline):
    model = Match
    extra = 0
    raw_id_fields = ["legal_unit"]
    readonly_fields = ["rank", "score", "explanation"]


class NeedNoteInline(admin.TabularInline):
    model = NeedNote
    extra = 0
    readonly_fields = ["at", "author", "kind", "text"]


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["company_name", "domain", "departement_code", "status", "created_at", "is_demo"]
    list_filter = ["status", "domain", "departement_code", "is_demo"]
    search_fields = ["company_name", "text", "contact_email"]
    raw_id_fields = ["commune", "user", "qualified_by", "taken_by"]
    inlines = [NeedNoteInline, MatchInline]


@admin.register(InvitationList)
class InvitationListAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "created_at"]
