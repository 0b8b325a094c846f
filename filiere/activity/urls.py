from django.urls import path

from filiere.activity import views

app_name = "activity"

urlpatterns = [
    path("", views.office_activity, name="office_activity"),
]
