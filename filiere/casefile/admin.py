from django.contrib import admin

from filiere.casefile.models import CaseNote, Reminder


@admin.register(CaseNote)
class CaseNoteAdmin(admin.ModelAdmin):
    list_display = ["legal_unit", "at", "author", "organisation", "visibility"]
    list_filter = ["visibility", "organisation"]
    list_select_related = ["legal_unit", "author", "organisation"]
    raw_id_fields = ["legal_unit", "author"]
    search_fields = ["legal_unit__name", "legal_unit__siren", "text"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["legal_unit", "due_on", "owner", "done_at", "mailed_at"]
    list_select_related = ["legal_unit", "owner"]
    raw_id_fields = ["legal_unit", "owner"]
    search_fields = ["legal_unit__name", "legal_unit__siren", "text"]
