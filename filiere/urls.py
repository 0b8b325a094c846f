from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from filiere.accounts import views as account_views
from filiere.api.api import api
from filiere.programme import views as programme_views

accounts_patterns = (
    [
        path("mon-compte/", account_views.account, name="account"),
        path("mon-compte/export.json", account_views.account_export, name="export"),
        path("mon-compte/suppression/", account_views.account_erase, name="erase"),
        path("desabonnement/<str:token>/", account_views.unsubscribe, name="unsubscribe"),
    ],
    "accounts",
)

urlpatterns = [
    path("", programme_views.home, name="home"),
    path("contrats/", include("filiere.programme.urls")),
    path("annuaire/", include("filiere.directory.urls")),
    path("observatoire/", include("filiere.observatory.urls")),
    path("besoins/", include("filiere.needs.urls")),
    path("accompagnement/", include("filiere.support.urls")),
    path("evenements/", include("filiere.events.urls")),
    path("projets/", include("filiere.projects.urls")),
    path("registres/", include("filiere.registers.urls")),
    path("comptes/", include(accounts_patterns)),
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
