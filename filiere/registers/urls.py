from django.urls import path

from filiere.registers import views

app_name = "registers"

urlpatterns = [
    path("", views.registers_home, name="home"),
    path("residences/", views.hostings, name="hostings"),
    path("residences/promotion/", views.cohort_open, name="cohort_open"),
    path("residences/accueil/", views.hosting_add, name="hosting_add"),
    path("residences/<int:pk>/sortie/", views.hosting_leave, name="hosting_leave"),
    path("residences/<int:pk>/", views.hosting_detail, name="hosting"),
    path("residences/<int:pk>/suppression/", views.hosting_delete, name="hosting_delete"),
    path("datalab/", views.datalab, name="datalab"),
    path("datalab/nouveau/", views.datalab_edit, name="datalab_add"),
    path("datalab/<int:pk>/modifier/", views.datalab_edit, name="datalab_edit"),
    path("datalab/<int:pk>/suppression/", views.datalab_delete, name="datalab_delete"),
    path("tiers-lieux/", views.third_places, name="third_places"),
    path("tiers-lieux/carte.geojson", views.third_places_map, name="third_places_map"),
    path("tiers-lieux/candidature/", views.third_place_apply, name="third_place_apply"),
    path("tiers-lieux/<int:pk>/", views.third_place, name="third_place"),
    path("tiers-lieux/<int:pk>/decision/", views.third_place_decide, name="third_place_decide"),
    path(
        "tiers-lieux/<int:pk>/decision/correction/",
        views.third_place_decision_correct,
        name="third_place_decision_correct",
    ),
    path(
        "tiers-lieux/<int:pk>/decision/annulation/",
        views.third_place_decision_cancel,
        name="third_place_decision_cancel",
    ),
    path("formations/", views.training_paths, name="training_paths"),
    path("formations/import/", views.training_paths_import, name="training_paths_import"),
    path("formations/<int:pk>/", views.training_path, name="training_path"),
    path(
        "formations/<int:pk>/suppression/", views.training_path_delete, name="training_path_delete"
    ),
]
