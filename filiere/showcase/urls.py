from django.urls import path

from filiere.showcase import feeds, views

app_name = "showcase"

urlpatterns = [
    path("", views.home, name="home"),
    path("projets/<int:pk>/", views.project, name="project"),
    path("entreprises/", views.firms, name="firms"),
    path("widget/", views.widget, name="widget"),
    path("rss/", feeds.ShowcaseRss(), name="rss"),
    path("atom/", feeds.ShowcaseAtom(), name="atom"),
]
