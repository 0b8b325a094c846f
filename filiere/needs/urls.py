from django.urls import path

from filiere.needs import views

app_name = "needs"

urlpatterns = [
    path("deposer/", views.need_post, name="post"),
    path("integrer/", views.need_embed, name="embed"),
    path("confirmer/<uuid:token>/", views.need_confirm, name="confirm"),
    path("suivi/<uuid:token>/", views.need_follow, name="follow"),
    path("suivi/<uuid:token>/contacter/<int:pk>/", views.need_contact, name="contact"),
    path("suivi/<uuid:token>/suite/<int:pk>/", views.need_outcome, name="outcome"),
    path("suivi/<uuid:token>/clore/", views.need_close, name="close"),
    path("suivi/<uuid:token>/effacer/", views.need_erase, name="erase"),
    path("prestataire/", views.provider_inbox, name="provider_inbox"),
    path("prestataire/<int:pk>/reponse/", views.provider_answer, name="provider_answer"),
    path("prestataire/<int:pk>/suite/", views.provider_outcome, name="provider_outcome"),
    path("offre/<str:siren>/", views.offer_edit, name="offer_edit"),
    path("conseil/", views.adviser_needs, name="adviser_list"),
    path("conseil/<int:pk>/", views.adviser_need, name="adviser_detail"),
    path("conseil/<int:pk>/prendre/", views.need_take, name="take"),
    path("conseil/<int:pk>/clore/", views.need_move_on, name="move_on"),
    path("conseil/<int:pk>/qualifier/", views.need_qualify, name="qualify"),
    path("conseil/<int:pk>/reorienter/", views.need_redirect, name="redirect"),
    path("conseil/<int:pk>/inviter/", views.need_invite, name="invite"),
    path("invitations/", views.invitation_lists, name="invitation_lists"),
    path("invitations/<int:pk>/", views.invitation_list, name="invitation_list"),
    path("invitations/<int:pk>.csv", views.invitation_list_csv, name="invitation_csv"),
]
