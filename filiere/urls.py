from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from filiere.accounts import views as account_views
from filiere.api.api import api
from filiere.programme import views as programme_views

accounts_patterns = (
    [
        path("connexion/", auth_views.LoginView.as_view(), name="login"),
        path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
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
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
