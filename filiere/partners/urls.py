from django.urls import path

from filiere.partners import views

app_name = "partners"

urlpatterns = [
    path("<slug:slug>/cles/", views.keys, name="keys"),
    path("<slug:slug>/cles/<int:pk>/revoquer/", views.revoke, name="revoke"),
]
