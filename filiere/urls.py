from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from filiere.accounts import views as account_views
from filiere.api.api import api
from filiere.common.health import healthz
from filiere.opendata import views as opendata_views
from filiere.programme import views as programme_views

accounts_patterns = (
    [
        path("mon-compte/", account_views.account, name="account"),
        path("mon-compte/nom/", account_views.account_name, name="name"),
        path("mon-compte/export.json", account_views.account_export, name="export"),
        path("mon-compte/suppression/", account_views.account_erase, name="erase"),
        path(
            "mon-compte/notifications/",
            account_views.notification_preferences,
            name="notifications",
        ),
        path("mon-compte/absences/", account_views.absences, name="absences"),
        path(
            "mon-compte/absences/<int:pk>/supprimer/",
            account_views.absence_delete,
            name="absence_delete",
        ),
        path("desabonnement/<str:token>/", account_views.unsubscribe, name="unsubscribe"),
        path("organisations/<slug:slug>/equipe/", account_views.team, name="team"),
        path(
            "organisations/<slug:slug>/equipe/<int:pk>/",
            account_views.member_update,
            name="member_update",
        ),
        path(
            "organisations/<slug:slug>/equipe/<int:pk>/retirer/",
            account_views.member_remove,
            name="member_remove",
        ),
        path(
            "invitations/<int:pk>/annuler/",
            account_views.invitation_revoke,
            name="invitation_revoke",
        ),
        path("invitations/<str:token>/", account_views.invitation, name="invitation"),
        path("demandes/", account_views.join_requests, name="join_requests"),
        path("demandes/<int:pk>/accepter/", account_views.join_grant, name="join_grant"),
        path("demandes/<int:pk>/refuser/", account_views.join_refuse, name="join_refuse"),
        path("demandes/<int:pk>/retirer/", account_views.join_withdraw, name="join_withdraw"),
        path("roles/", account_views.roles, name="roles"),
    ],
    "accounts",
)

urlpatterns = [
    path("", programme_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("contrats/", include("filiere.programme.urls")),
    path("annuaire/", include("filiere.directory.urls")),
    path("observatoire/", include("filiere.observatory.urls")),
    path("besoins/", include("filiere.needs.urls")),
    path("accompagnement/activite/", include("filiere.activity.urls")),
    path("accompagnement/", include("filiere.support.urls")),
    path("evenements/", include("filiere.events.urls")),
    path("projets/", include("filiere.projects.urls")),
    path("registres/", include("filiere.registers.urls")),
    path("vitrine/", include("filiere.showcase.urls")),
    path("donnees/", include("filiere.opendata.urls")),
    path("catalogue.jsonld", opendata_views.catalogue_ld, name="catalogue_jsonld"),
    path("dossiers/", include("filiere.casefile.urls")),
    path("comptes/", include(accounts_patterns)),
    path("comptes/organisations/", include("filiere.webhooks.urls")),
    path("partenaires/", include("filiere.partners.urls")),
    # Sign-up, sign-in, password and e-mail (django-allauth), and ProConnect.
    path("comptes/", include("allauth.urls")),
    # The sign-in's former address, in bookmarks and mails already sent.
    path(
        "comptes/connexion/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

# The answer to a form sent too often, for django-allauth's limits (django-ratelimit's are
# answered by RATELIMIT_VIEW, the same view).
handler429 = "filiere.accounts.limits.too_many"
