from django.urls import path

from filiere.casefile import views

app_name = "casefile"

urlpatterns = [
    path("<str:siren>/", views.case_file, name="detail"),
    path("<str:siren>/notes/", views.note_add, name="note_add"),
    path("<str:siren>/rappels/", views.reminder_add, name="reminder_add"),
    path("<str:siren>/rappels/<int:pk>/", views.reminder_mark, name="reminder_mark"),
]
