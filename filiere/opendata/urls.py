from django.urls import path

from filiere.opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.open_data, name="home"),
    path("<slug:name>.csv", views.export, name="export"),
]
