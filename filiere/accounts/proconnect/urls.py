from django.urls import include, path, re_path

from filiere.accounts.proconnect import views

urlpatterns = [
    re_path(
        r"^(?P<provider_id>[^/]+)/",
        include(
            [
                path("login/", views.login, name="proconnect_login"),
                path("login/callback/", views.callback, name="proconnect_callback"),
            ]
        ),
    )
]
