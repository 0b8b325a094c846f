from django.urls import path

from filiere.programme import views

app_name = "programme"

urlpatterns = [
    path("<slug:slug>/", views.contract_dashboard, name="dashboard"),
    path("<slug:slug>/axes/<int:number>/", views.axis_detail, name="axis"),
    path("<slug:slug>/actions/<str:code>/", views.action_detail, name="action"),
    path(
        "<slug:slug>/actions/<str:code>/engagements/",
        views.commitment_create,
        name="commitment_create",
    ),
    path("<slug:slug>/actions/<str:code>/enveloppes/", views.allocation_set, name="allocation_set"),
    path("<slug:slug>/actions/<str:code>/paiements/", views.payment_create, name="payment_create"),
    path(
        "<slug:slug>/actions/<str:code>/engagements/<int:pk>/",
        views.commitment_detail,
        name="commitment",
    ),
    path(
        "<slug:slug>/actions/<str:code>/engagements/<int:pk>/annulation/",
        views.commitment_cancel,
        name="commitment_cancel",
    ),
    path(
        "<slug:slug>/actions/<str:code>/paiements/<int:pk>/",
        views.payment_detail,
        name="payment",
    ),
    path(
        "<slug:slug>/actions/<str:code>/paiements/<int:pk>/annulation/",
        views.payment_cancel,
        name="payment_cancel",
    ),
    path(
        "<slug:slug>/actions/<str:code>/enveloppes/<int:year>/",
        views.allocation_detail,
        name="allocation",
    ),
    path(
        "<slug:slug>/actions/<str:code>/enveloppes/<int:year>/suppression/",
        views.allocation_delete,
        name="allocation_delete",
    ),
    path(
        "<slug:slug>/actions/<str:code>/historique/<slug:kind>.csv",
        views.action_history_csv,
        name="action_history_csv",
    ),
    path("<slug:slug>/indicateurs/<slug:code>/", views.indicator_detail, name="indicator"),
    path(
        "<slug:slug>/indicateurs/<slug:code>/historique.csv",
        views.indicator_history_csv,
        name="indicator_history_csv",
    ),
    path(
        "<slug:slug>/indicateurs/<slug:code>/mesures/<int:pk>/",
        views.measurement_detail,
        name="measurement",
    ),
    path(
        "<slug:slug>/indicateurs/<slug:code>/mesures/<int:pk>/suppression/",
        views.measurement_delete,
        name="measurement_delete",
    ),
    path("<slug:slug>/rapport/", views.contract_report, name="report"),
    path("<slug:slug>/rapport/<slug:kind>.csv", views.report_csv, name="report_csv"),
]
