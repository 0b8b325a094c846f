from django.urls import path

from filiere.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("nouveau/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/modifier/", views.project_edit, name="edit"),
    path("<int:pk>/etat/", views.project_move, name="move"),
    path("<int:pk>/decision/corriger/", views.decision_correct, name="decision_correct"),
    path("<int:pk>/experts-nommes/", views.reviewers_disclose, name="reviewers_disclose"),
    path("<int:pk>/vitrine/", views.showcase_publish, name="showcase_publish"),
    path("<int:pk>/vitrine/retirer/", views.showcase_unpublish, name="showcase_unpublish"),
    path("<int:pk>/partenaires/", views.partner_add, name="partner_add"),
    path(
        "<int:pk>/partenaires/<int:partner_pk>/retirer/",
        views.partner_remove,
        name="partner_remove",
    ),
    path("<int:pk>/partenaires-suggeres/", views.partner_suggestions, name="suggestions"),
    path("<int:pk>/documents/", views.document_add, name="document_add"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("<int:pk>/experts/", views.reviewer_assign, name="reviewer_assign"),
    path(
        "<int:pk>/experts/<int:review_pk>/retirer/",
        views.reviewer_withdraw,
        name="reviewer_withdraw",
    ),
    path("<int:pk>/declaration/", views.review_declare, name="review_declare"),
    path("<int:pk>/avis/", views.review_submit, name="review_submit"),
    path("<int:pk>/avis/corriger/", views.review_correct, name="review_correct"),
    path("<int:pk>/financements/", views.funding_add, name="funding_add"),
    path(
        "<int:pk>/financements/<int:funding_pk>/corriger/",
        views.funding_correct,
        name="funding_correct",
    ),
    path(
        "<int:pk>/financements/<int:funding_pk>/annuler/",
        views.funding_cancel,
        name="funding_cancel",
    ),
    path("<int:pk>/financements-possibles/", views.project_funding, name="funding"),
    path("<int:pk>/jalons/", views.milestone_add, name="milestone_add"),
    path(
        "<int:pk>/jalons/<int:milestone_pk>/atteint/", views.milestone_done, name="milestone_done"
    ),
    path("<int:pk>/suivi/", views.report_add, name="report_add"),
    path("aides/", views.aid_catalogue, name="catalogue"),
    path("aides/<int:pk>/", views.aid_scheme, name="scheme"),
    path("aides/imports/", views.aid_imports, name="aid_imports"),
    path("aides/dispositifs-aide.csv", views.aid_export, name="export"),
    path("aides/recherches/", views.search_save, name="search_save"),
    path("aides/recherches/<int:pk>/supprimer/", views.search_delete, name="search_delete"),
]
