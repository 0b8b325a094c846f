from django.urls import path

from filiere.support import views

app_name = "support"

urlpatterns = [
    path("", views.support_list, name="list"),
    path("nouveau/", views.support_record, name="record"),
    path("<int:pk>/", views.support_detail, name="detail"),
    path("<int:pk>/prendre/", views.support_take, name="take"),
    path("<int:pk>/etat/", views.support_move_on, name="move_on"),
    path("<int:pk>/note/", views.support_note, name="note"),
    path("avis/<uuid:token>/", views.support_survey, name="survey"),
    path("regles/", views.routing_rules, name="rules"),
    path("regles/<int:pk>/basculer/", views.routing_rule_toggle, name="rule_toggle"),
]
