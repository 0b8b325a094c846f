from django.urls import path

from filiere.events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("nouveau/", views.event_create, name="create"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/modifier/", views.event_edit, name="edit"),
    path("<slug:slug>/publier/", views.event_publish, name="publish_event"),
    path("<slug:slug>/inscription/", views.event_register, name="register"),
    path("<slug:slug>/annulation/", views.event_cancel, name="cancel"),
    path("<slug:slug>/rendez-vous/", views.meetings_page, name="meetings"),
    path("<slug:slug>/rendez-vous/demander/<int:pk>/", views.request_create, name="request"),
    path("<slug:slug>/rendez-vous/repondre/<int:pk>/", views.request_answer, name="answer"),
    path("<slug:slug>/agenda.ics", views.agenda_ics, name="agenda"),
    path("<slug:slug>/organisation/", views.organise, name="organise"),
    path("<slug:slug>/organisation/creneaux/", views.slots_add, name="slots"),
    path(
        "<slug:slug>/organisation/inscriptions/<int:pk>/validation/",
        views.registration_approve,
        name="approve",
    ),
    path(
        "<slug:slug>/organisation/inscriptions/<int:pk>/refus/",
        views.registration_refuse,
        name="refuse",
    ),
    path("<slug:slug>/organisation/inscriptions/<int:pk>/arrivee/", views.arrival, name="arrival"),
    path("<slug:slug>/organisation/invitations/", views.invite, name="invite"),
    path("<slug:slug>/organisation/calcul/", views.run_status, name="run"),
    path("<slug:slug>/organisation/calcul/annuler/", views.schedule_cancel, name="run_cancel"),
    path("<slug:slug>/organisation/calcul/lancer/", views.schedule, name="schedule"),
    path("<slug:slug>/organisation/publication/", views.publish, name="publish"),
    path("<slug:slug>/organisation/absent/<int:pk>/", views.no_show, name="no_show"),
    path("<slug:slug>/organisation/deplacer/<int:pk>/", views.meeting_move, name="move"),
    path("<slug:slug>/organisation/remplacer/<int:pk>/", views.replace, name="replace"),
    path("<slug:slug>/delegation.csv", views.delegation_csv, name="delegation"),
    path("<slug:slug>/avis/", views.feedback_give, name="feedback"),
]
