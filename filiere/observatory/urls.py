from django.urls import path

from filiere.observatory import views

app_name = "observatory"

urlpatterns = [
    path("", views.observatory, name="home"),
    path("filieres/", views.sector_list, name="sectors"),
    path("filieres/nouvelle/", views.sector_create, name="sector_create"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("imports/<int:pk>/annuler/", views.import_cancel, name="import_cancel"),
    path("departements.geojson", views.departements_geojson, name="departements"),
    path("<slug:level>.geojson", views.communes_geojson, name="communes"),
    path("donnees/<slug:kind>.csv", views.stats_csv, name="csv"),
]
