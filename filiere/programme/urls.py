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
    path("<slug:slug>/indicateurs/<slug:code>/", views.indicator_detail, name="indicator"),
    path("<slug:slug>/rapport/", views.contract_report, name="report"),
    path("<slug:slug>/rapport/<slug:kind>.csv", views.report_csv, name="report_csv"),
]
