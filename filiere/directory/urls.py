from django.urls import path

from filiere.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.directory, name="list"),
    path("carte.geojson", views.directory_map, name="map"),
    path("labels/", views.label_requests, name="label_requests"),
    path("labels/<int:pk>/accorder/", views.label_grant, name="label_grant"),
    path("labels/<int:pk>/refuser/", views.label_refuse, name="label_refuse"),
    path("labels/<int:pk>/retirer/", views.label_withdraw, name="label_withdraw"),
    path("rejoindre/", views.join_finder, name="join_finder"),
    path("suggestions/", views.firm_suggestions, name="firm_suggestions"),
    path("<str:siren>/", views.legal_unit_detail, name="detail"),
    path("<str:siren>/rejoindre/", views.join, name="join"),
    path("<str:siren>/ecrire/", views.firm_message, name="message"),
    path("<str:siren>/modifier/", views.profile_edit, name="edit"),
    path("<str:siren>/labels/demander/", views.label_request, name="label_request"),
]
