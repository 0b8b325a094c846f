from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What a key may do: each API operation asks for one of them."""

    READ = "read", _("lecture des données publiées (contrats, indicateurs, observatoire…)")
    NEEDS_WRITE = "needs:write", _("dépôt de besoins numériques")
    SUPPORT_READ = "support:read", _("lecture des besoins d'accompagnement du bureau")
    SUPPORT_WRITE = "support:write", _("dépôt et suivi des besoins d'accompagnement")
    EVENTS_READ = "events:read", _("inscriptions et rendez-vous des événements")
