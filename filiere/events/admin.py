from django.contrib import admin

from filiere.events.models import Event, Meeting, MeetingRequest, Registration, Slot


class SlotInline(admin.TabularInline):
    model = Slot
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "organiser", "starts_at", "place", "status"]
    list_filter = ["kind", "status", "organiser"]
    search_fields = ["title", "place"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SlotInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["company", "event", "status", "checked_in_at"]
    list_filter = ["status", "event"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "priority", "status"]
    list_filter = ["event", "status"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slot", "table", "state"]
    list_filter = ["state"]
