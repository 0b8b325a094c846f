from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from filiere.accounts.models import (
    Absence,
    DigestEntry,
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    OutgoingMail,
    User,
)
from filiere.accounts.notifications import mails_send_again
from filiere.accounts.services.personal import user_erase


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identité"), {"fields": ["first_name", "last_name"]}),
        (_("Droits"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    # An account deleted here is erased as from the person's own page: every app keeps what
    # others need, unsigned, and deletes what is the person's alone.
    def delete_model(self, request, obj):
        user_erase(user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            user_erase(user=user)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "siren", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "short_name", "siren", "siret"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["commune"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "is_admin", "is_active"]
    list_filter = ["role", "is_admin", "is_active"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]


# Requests to join and invitations are decided and sent from the teams' pages, by those
# allowed to (accounts.services.teams); the back office reads them.
class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(JoinRequest)
class JoinRequestAdmin(ReadOnlyAdmin):
    list_display = ["user", "organisation", "status", "by_domain", "created_at", "decided_by"]
    list_filter = ["status", "by_domain"]
    list_select_related = ["user", "organisation", "decided_by"]
    search_fields = ["user__email", "organisation__name"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "organisation", "role", "is_admin", "created_at", "accepted_at"]
    list_filter = ["role", "is_admin"]
    list_select_related = ["organisation"]
    search_fields = ["email", "organisation__name"]
    exclude = ["token"]


# The outbox: what went to whom, what waits and what failed (with the reason); a failed mail
# is handed to a worker again from here once the mail server is back.
@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyAdmin):
    list_display = ["to", "subject", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    actions = ["send_again"]

    @admin.action(description=_("Envoyer de nouveau les e-mails en échec"))
    def send_again(self, request, queryset):
        count = mails_send_again(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("%(n)d e-mails remis à l'envoi.") % {"n": count})


@admin.register(DigestEntry)
class DigestEntryAdmin(ReadOnlyAdmin):
    list_display = ["to", "subject", "frequency", "category", "created_at"]
    list_filter = ["frequency", "category"]
    search_fields = ["to", "subject"]


@admin.register(Absence)
class AbsenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "organisation", "starts_on", "ends_on", "stand_in"]
    search_fields = ["user__email", "stand_in__email", "organisation__name"]
