from django.urls import path

from filiere.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.directory, name="list"),
    path("carte.geojson", views.directory_map, name="map"),
    path("<str:siren>/", views.legal_unit_detail, name="detail"),
    path("<str:siren>/modifier/", views.profile_edit, name="edit"),
]
