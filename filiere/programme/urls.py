from django.urls import path

from filiere.programme import setup_views, views

app_name = "programme"

urlpatterns = [
    # Before the contracts' own pages: « nouveau » is no contract's slug (contract_setup).
    path("nouveau/", setup_views.contract_create, name="contract_create"),
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
    # Setting the contract up and editing it, for its owner's programme officers.
    path("<slug:slug>/gestion/", setup_views.contract_setup, name="setup"),
    path("<slug:slug>/gestion/contrat/", setup_views.contract_edit, name="contract_edit"),
    path("<slug:slug>/gestion/publication/", setup_views.contract_publish, name="publish"),
    path("<slug:slug>/gestion/acteurs/", setup_views.actor_add, name="actor_add"),
    path("<slug:slug>/gestion/acteurs/<int:pk>/", setup_views.actor_detail, name="actor"),
    path("<slug:slug>/gestion/axes/", setup_views.axis_add, name="axis_add"),
    path("<slug:slug>/gestion/axes/<int:number>/", setup_views.axis_edit, name="axis_edit"),
    path(
        "<slug:slug>/gestion/axes/<int:number>/suppression/",
        setup_views.axis_delete,
        name="axis_delete",
    ),
    path("<slug:slug>/gestion/actions/", setup_views.action_add, name="action_add"),
    path("<slug:slug>/gestion/actions/<str:code>/", setup_views.action_edit, name="action_edit"),
    path(
        "<slug:slug>/gestion/actions/<str:code>/suppression/",
        setup_views.action_delete,
        name="action_delete",
    ),
    path(
        "<slug:slug>/gestion/actions/<str:code>/partenaires/",
        setup_views.partner_add,
        name="partner_add",
    ),
    path(
        "<slug:slug>/gestion/actions/<str:code>/partenaires/<int:pk>/suppression/",
        setup_views.partner_remove,
        name="partner_remove",
    ),
    path("<slug:slug>/gestion/indicateurs/", setup_views.indicator_add, name="indicator_add"),
    path(
        "<slug:slug>/gestion/indicateurs/<slug:code>/",
        setup_views.indicator_edit,
        name="indicator_edit",
    ),
    path(
        "<slug:slug>/gestion/indicateurs/<slug:code>/suppression/",
        setup_views.indicator_delete,
        name="indicator_delete",
    ),
    path("<slug:slug>/gestion/strategie/", setup_views.strategy_edit, name="strategy"),
    path("<slug:slug>/gestion/strategie/piliers/", setup_views.pillar_add, name="pillar_add"),
    path(
        "<slug:slug>/gestion/strategie/piliers/<int:number>/",
        setup_views.pillar_edit,
        name="pillar",
    ),
    path(
        "<slug:slug>/gestion/strategie/piliers/<int:number>/suppression/",
        setup_views.pillar_delete,
        name="pillar_delete",
    ),
    path(
        "<slug:slug>/gestion/strategie/piliers/<int:number>/engagements/",
        setup_views.pillar_commitment_add,
        name="pillar_commitment_add",
    ),
    path(
        "<slug:slug>/gestion/strategie/piliers/<int:number>/engagements/<int:position>/",
        setup_views.pillar_commitment_edit,
        name="pillar_commitment",
    ),
    path(
        "<slug:slug>/gestion/strategie/piliers/<int:number>/engagements/<int:position>/"
        "suppression/",
        setup_views.pillar_commitment_delete,
        name="pillar_commitment_delete",
    ),
]
