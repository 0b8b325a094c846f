from django.urls import path

from filiere.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("<slug:slug>/webhooks/", views.endpoints, name="endpoints"),
    path("<slug:slug>/webhooks/<int:pk>/", views.endpoint, name="endpoint"),
    path("<slug:slug>/webhooks/<int:pk>/secret/", views.endpoint_secret, name="secret"),
    path("<slug:slug>/webhooks/<int:pk>/activation/", views.endpoint_switch, name="switch"),
    path("<slug:slug>/webhooks/<int:pk>/test/", views.endpoint_test, name="test"),
    path("<slug:slug>/webhooks/<int:pk>/suppression/", views.endpoint_delete, name="delete"),
]
